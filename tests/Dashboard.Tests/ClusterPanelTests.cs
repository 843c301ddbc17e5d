using ActorHost.Cluster.Coordination;
using ActorHost.Gateway.Tests.Management;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ActorHost.Dashboard.Tests;

/// <summary>
/// The dashboard's cluster panel in a real headless Chromium, against an in-process gateway whose cluster
/// view is a <see cref="FakeClusterView"/> (three members, node-a is this node, node-c is down).
/// </summary>
public sealed class ClusterPanelTests
{
    private const int Shards = 30;
    private static readonly LocatorAssertionsToHaveAttributeOptions Guard = new() { Timeout = 10_000 };

    [Fact]
    public async Task Members_and_shard_map_render_and_a_hand_off_reaches_the_timeline_and_the_map_within_two_seconds()
    {
        var cluster = new FakeClusterView(Shards);
        await using InProcessGateway gateway = await InProcessGateway.StartAsync(services => services.AddSingleton<IClusterView>(cluster));
        await using HeadlessChromium browser = await HeadlessChromium.LaunchAsync();
        IPage page = await DashboardBrowserTests.OpenDashboardAsync(browser, gateway.Management.BaseAddress!);

        await Expect(page.Locator("#cluster")).ToHaveAttributeAsync("data-state", "on");
        ILocator members = page.Locator("#members tbody tr");
        await Expect(members).ToHaveCountAsync(3);
        await Expect(page.Locator("#members tr[data-node=node-a]")).ToContainTextAsync("self");
        await Expect(page.Locator("#members tr[data-node=node-b] td[data-field=status]")).ToHaveTextAsync("Up");
        await Expect(page.Locator("#members tr[data-node=node-c] td[data-field=status]")).ToHaveTextAsync("Down");
        await Expect(page.Locator("#members tr[data-node=node-c] td[data-field=heartbeat]")).ToHaveTextAsync("7.3 s");
        await Expect(page.Locator("#members tr[data-node=node-b] td[data-field=shards]")).ToHaveTextAsync("10");
        await Expect(page.Locator("#shard-map .shard")).ToHaveCountAsync(Shards);
        ILocator shard3 = page.Locator("#shard-map .shard[data-shard='3']");
        await Expect(shard3).ToHaveAttributeAsync("data-owner", "node-a");
        await Expect(shard3).ToHaveAttributeAsync("data-state", "serving");
        await Expect(shard3).ToHaveAttributeAsync("title", "shard 3 · owner node-a · epoch 1 · serving · lease 4.2 s left");
        await Expect(page.Locator("#shard-legend [data-node=node-b]")).ToHaveTextAsync("node-b (10)");
        string ownerColour = await shard3.EvaluateAsync<string>("c => getComputedStyle(c).backgroundColor");
        string otherColour = await page.Locator("#shard-map .shard[data-shard='4']").EvaluateAsync<string>("c => getComputedStyle(c).backgroundColor");
        Assert.NotEqual(ownerColour, otherColour);
        int loadsBefore = await page.EvaluateAsync<int>("window.actorhostDashboard.clusterLoads");

        // node-a hands shard 3 to node-b and is fenced from shard 6: the view changes, then the events come.
        cluster.SetShard(FakeClusterView.Lease(3, "node-b", epoch: 2));
        cluster.SetShard(FakeClusterView.Lease(6, "node-a", epoch: 1, state: "fenced"));
        PageSigns signs = await PageSigns.WatchAsync(page, new Dictionary<string, string>
        {
            ["hand-off"] = """["node-a · shard 3 · epoch 2", "to node-b"].every(word => text("#timeline li[data-type=cluster][data-kind=handoff_completed]").includes(word))""",
            ["fenced"] = """text("#timeline li[data-type=cluster][data-kind=fenced]").includes("lease renewal failed")""",
            ["map"] = """(c => c?.dataset.owner === "node-b" && c.dataset.state === "remote")(document.querySelector("#shard-map .shard[data-shard='3']"))""",
            ["map-fenced"] = """document.querySelector("#shard-map .shard[data-shard='6']")?.dataset.state === "fenced" """,
        });
        cluster.Raise(new ClusterEvent(ClusterEventKind.HandOffCompleted, DateTimeOffset.UtcNow, "node-a", [3], 2, "to node-b"));
        cluster.Raise(new ClusterEvent(ClusterEventKind.Fenced, DateTimeOffset.UtcNow, "node-a", [6], null, "lease renewal failed"));

        ILocator handOff = page.Locator("#timeline li[data-type=cluster][data-kind=handoff_completed]");
        await Expect(handOff).ToContainTextAsync("node-a · shard 3 · epoch 2", new() { Timeout = 10_000 });
        await Expect(handOff).ToContainTextAsync("to node-b", new() { Timeout = 10_000 });
        await Expect(page.Locator("#timeline li[data-type=cluster][data-kind=fenced]")).ToContainTextAsync("lease renewal failed", new() { Timeout = 10_000 });
        await Expect(shard3).ToHaveAttributeAsync("data-owner", "node-b", Guard);
        await Expect(shard3).ToHaveAttributeAsync("data-state", "remote", Guard);
        await Expect(page.Locator("#shard-map .shard[data-shard='6']")).ToHaveAttributeAsync("data-state", "fenced", Guard);
        TimeSpan tookToShow = await signs.AllShownAfterAsync();
        await Expect(page.Locator("#shard-legend [data-node=node-b]")).ToHaveTextAsync("node-b (11)");
        int loadsAfter = await page.EvaluateAsync<int>("window.actorhostDashboard.clusterLoads");

        // The page's clock, not Playwright's polling (see PageSigns): 0.1-0.65 s here, since the view is re-read at most
        // twice a second; the bound leaves room for CI, which runs every test project at once on two cores.
        Assert.True(tookToShow < TimeSpan.FromSeconds(2), $"the page showed the hand-off {tookToShow} after the events");
        // Two events in a burst cost at most two re-reads (debounced), never one per event and shard.
        Assert.InRange(loadsAfter - loadsBefore, 1, 2);
        Assert.Equal(1, await page.EvaluateAsync<int>("performance.getEntriesByType('navigation').length"));
        string path = Path.Combine(DashboardBrowserTests.ArtifactsDirectory, "dashboard-cluster.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000);
    }

    [Fact]
    public async Task A_cluster_of_many_shards_is_painted_on_one_canvas_in_the_owners_colours()
    {
        const int ManyShards = 5000;
        var cluster = new FakeClusterView(ManyShards);
        cluster.SetShard(FakeClusterView.Lease(0, "node-a", epoch: 1, state: "fenced"));
        await using InProcessGateway gateway = await InProcessGateway.StartAsync(services => services.AddSingleton<IClusterView>(cluster));
        await using HeadlessChromium browser = await HeadlessChromium.LaunchAsync();
        IPage page = await DashboardBrowserTests.OpenDashboardAsync(browser, gateway.Management.BaseAddress!);

        ILocator canvas = page.Locator("#shard-map canvas");
        await Expect(canvas).ToHaveAttributeAsync("data-shards", ManyShards.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int cells = await page.Locator("#shard-map .shard").CountAsync();
        // Shard 0 is fenced (red), shard 1 belongs to node-b, shard 3 to node-a: read the painted pixels.
        int[] fenced = await canvas.EvaluateAsync<int[]>("c => Array.from(c.getContext('2d').getImageData(1, 1, 1, 1).data)");
        int[] shard1 = await canvas.EvaluateAsync<int[]>("c => Array.from(c.getContext('2d').getImageData(Number(c.dataset.cell) + 1, 1, 1, 1).data)");
        int[] shard3 = await canvas.EvaluateAsync<int[]>("c => Array.from(c.getContext('2d').getImageData(3 * Number(c.dataset.cell) + 1, 1, 1, 1).data)");

        Assert.Equal(0, cells);
        Assert.Equal([0xf8, 0x51, 0x49, 255], fenced);
        Assert.Equal([0x3f, 0xb9, 0x50, 255], shard1);
        Assert.Equal([0x58, 0xa6, 0xff, 255], shard3);
    }
}
