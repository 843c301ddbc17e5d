using System.Text.Json;
using Microsoft.Playwright;

namespace ActorHost.Dashboard.Tests;

/// <summary>
/// Notes on the page's own clock when each of a set of signs first holds, checked by a mutation observer after
/// every change to the page. A test then says how soon the page showed something, not how soon Playwright's
/// expectations noticed it: they poll with a back-off of up to a second between checks.
/// </summary>
/// <remarks>
/// The clock starts either now, on the open page (<see cref="WatchAsync"/>), or when the page's next navigation
/// starts (<see cref="WatchNextLoadAsync"/>), so a load is timed without the browser's own set-up.
/// </remarks>
internal sealed class PageSigns
{
    private const string Install = """
        signs => {
          const text = selector => document.querySelector(selector)?.textContent ?? "";
          const holds = Object.fromEntries(Object.entries(signs).map(([name, test]) => [name, new Function("text", "return (" + test + ");")]));
          const shownAt = {};
          const check = () => {
            for (const [name, test] of Object.entries(holds)) {
              if (!(name in shownAt) && test(text)) shownAt[name] = performance.now();
            }
          };
          const observer = new MutationObserver(check);
          // The document, not its body: a sign installed before the page's first byte has no body to watch yet.
          observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
          window.pageSigns = { shownAt, observer };
          check();
          return performance.now();
        }
        """;

    private readonly IPage _page;
    private readonly double _installedAt;
    private readonly int _count;

    private PageSigns(IPage page, double installedAt, int count)
    {
        _page = page;
        _installedAt = installedAt;
        _count = count;
    }

    /// <summary>
    /// Starts watching; the clock starts now. Each sign is a JavaScript expression that is true once it shows;
    /// it may call <c>text(selector)</c>, the text of the first element matching a selector ("" if none).
    /// </summary>
    public static async Task<PageSigns> WatchAsync(IPage page, IReadOnlyDictionary<string, string> signs) =>
        new(page, await page.EvaluateAsync<double>(Install, signs), signs.Count);

    /// <summary>
    /// Starts watching at the page's next navigation, before any of its own scripts run; the clock starts when
    /// that navigation starts (the page clock's zero). Navigate after this call.
    /// </summary>
    public static async Task<PageSigns> WatchNextLoadAsync(IPage page, IReadOnlyDictionary<string, string> signs)
    {
        await page.AddInitScriptAsync($"({Install})({JsonSerializer.Serialize(signs)});");
        return new PageSigns(page, installedAt: 0, signs.Count);
    }

    /// <summary>
    /// How long after the clock started the last sign showed. Call it once the test's expectations saw
    /// every sign; a sign the observer missed fails the test.
    /// </summary>
    public async Task<TimeSpan> AllShownAfterAsync()
    {
        Dictionary<string, double> shownAt = await _page.EvaluateAsync<Dictionary<string, double>>(
            "() => { window.pageSigns.observer.disconnect(); return window.pageSigns.shownAt; }");
        Assert.Equal(_count, shownAt.Count);
        return TimeSpan.FromMilliseconds(shownAt.Values.Max() - _installedAt);
    }
}
