using Microsoft.Playwright;

namespace ActorHost.Dashboard.Tests;

/// <summary>
/// The machine's Chromium (Debian package <c>chromium</c>, <c>/usr/bin/chromium</c>) driven by Playwright, with a
/// fresh profile each time and every background network feature off: nothing is downloaded, ever
/// (no <c>playwright install</c>). <c>ACTORHOST_CHROMIUM</c> overrides the executable path.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private HeadlessChromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    public static string ExecutablePath => Environment.GetEnvironmentVariable("ACTORHOST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium was not found at {ExecutablePath}; ./test.sh installs the Debian package 'chromium'.");
        }

        IPlaywright playwright = await Playwright.CreateAsync();
        string profile = Directory.CreateTempSubdirectory("actorhost-chromium-").FullName;
        IBrowserContext context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
            ViewportSize = new ViewportSize { Width = 1680, Height = 1050 },
            ColorScheme = ColorScheme.Dark,
            // The page forbids eval by CSP; Playwright's WaitForFunction needs it (the test, not the page).
            BypassCSP = true,
        });
        return new HeadlessChromium(playwright, context, profile);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its last files; the temp directory is cleaned up eventually.
        }
    }
}
