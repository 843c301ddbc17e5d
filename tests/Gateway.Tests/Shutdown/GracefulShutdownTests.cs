using System.Net;
using ActorHost.Gateway.Shutdown;
using ActorHost.Gateway.Tests.Infrastructure;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RouteOptions = ActorHost.Workers.Options.RouteOptions;

namespace ActorHost.Gateway.Tests.Shutdown;

/// <summary>The shutdown phases in process, over a stand-in runtime: order, tokens, cut-off, the handle's contract.</summary>
public sealed class GracefulShutdownTests
{
    /// <summary>The phases of a shutdown outside a cluster, as the log names them, in order.</summary>
    internal static readonly string[] PhaseOrder = ["drain-delay", "stop-accepting", "grace", "mercy", "stop-workers"];

    /// <summary>A detached GET route served by the worker of the same name (what the shutdown tests dispatch to).</summary>
    internal static RouteOptions Route(string name) => new()
    {
        Name = name,
        Path = "/" + name,
        Methods = ["GET"],
        Worker = name,
        HandlerMode = HandlerMode.Detached,
        Timeout = TimeSpan.FromSeconds(30),
        StuckAfter = TimeSpan.FromSeconds(5),
    };

    private static Task<TestGateway> StartAsync(FakeWorkerRuntime runtime, ShutdownOptions options) =>
        TestGateway.StartAsync(_ => runtime, services: s =>
        {
            s.RemoveAll<ShutdownOptions>();
            s.AddSingleton(options);
        });

    [Fact]
    public async Task Shutdown_handle_runs_every_phase_in_order_tells_endless_responses_to_end_and_stops_the_host()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("endless"), async (req, res, ct) =>
        {
            await res.WriteAsync("started\n", ct);
            await res.FlushAsync(ct);
            await Task.Delay(Timeout.Infinite, req.ShutdownToken).ContinueWith(_ => { }, TaskScheduler.Default);
            await res.WriteAsync("event: shutdown\n", ct);
        });
        await using TestGateway gateway = await StartAsync(runtime, new ShutdownOptions { Grace = TimeSpan.FromSeconds(10), Mercy = TimeSpan.FromSeconds(1) });
        IShutdownHandle handle = gateway.App.Services.GetRequiredService<IShutdownHandle>();
        using HttpResponseMessage response = await gateway.Client.GetAsync("/endless", HttpCompletionOption.ResponseHeadersRead);
        await gateway.Logs.WaitForAsync(r => r.EventId.Id == 108);

        bool started = handle.Shutdown("test");
        bool again = handle.Shutdown("test again");
        string body = await response.Content.ReadAsStringAsync();
        await handle.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        int exitCode = await gateway.App.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(started);
        Assert.False(again);
        Assert.Equal("test", handle.Reason);
        Assert.Equal(ShutdownPhase.Stopped, handle.Phase);
        Assert.True(handle.ShutdownStarted.IsCancellationRequested);
        Assert.Equal("started\nevent: shutdown\n", body);
        Assert.Equal(0, exitCode);
        Assert.False(gateway.Exit.Exited.IsCompleted);
        Assert.True(runtime.Stopped);
        string[] phases = [.. gateway.Logs.Records.Where(r => r.EventId.Id == ShutdownLog.PhaseStartedId).Select(r => r.Text("Phase")!)];
        Assert.Equal(PhaseOrder, phases);
        Assert.Equal(5, gateway.Logs.Records.Count(r => r.EventId.Id == ShutdownLog.PhaseFinishedId));
        CapturedLog finished = Assert.Single(gateway.Logs.RequestFinished);
        Assert.Equal("ok", finished.Text("Outcome"));
    }

    [Fact]
    public async Task Signals_after_the_shutdown_has_finished_are_ignored_and_the_exit_code_stays()
    {
        await using TestGateway gateway = await StartAsync(new FakeWorkerRuntime(), new ShutdownOptions { Grace = TimeSpan.FromSeconds(1), Mercy = TimeSpan.FromSeconds(1) });
        GracefulShutdown shutdown = gateway.App.Services.GetRequiredService<GracefulShutdown>();

        shutdown.Shutdown("test");
        await shutdown.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        // Counted with the shutdown itself, the second would skip to mercy and the third exit at once with 143.
        shutdown.OnSignal("SIGTERM", 15);
        shutdown.OnSignal("SIGTERM", 15);
        int exitCode = await gateway.App.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, exitCode);
        Assert.False(gateway.Exit.Exited.IsCompleted);
        Assert.DoesNotContain(gateway.Logs.Records, r => r.EventId.Name == "ImmediateExit");
        Assert.Equal(2, gateway.Logs.Records.Count(r => r.EventId.Name == "SignalReceived" && r.Text("Action") == "ignored, the shutdown has finished"));
    }

    [Fact]
    public async Task Readiness_fails_from_the_first_moment_of_a_shutdown()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("echo"), (req, res, ct) => res.WriteAsync("hi", ct).AsTask());
        await using TestGateway gateway = await StartAsync(runtime, new ShutdownOptions { DrainDelay = TimeSpan.FromSeconds(30) });
        IShutdownHandle handle = gateway.App.Services.GetRequiredService<IShutdownHandle>();
        using HttpResponseMessage before = await gateway.Management.GetAsync("/ready");

        handle.Shutdown("test");
        await gateway.Logs.WaitForAsync(r => r.EventId.Id == ShutdownLog.PhaseStartedId && r.Text("Phase") == "drain-delay");
        using HttpResponseMessage during = await gateway.Management.GetAsync("/ready");
        using HttpResponseMessage alive = await gateway.Management.GetAsync("/alive");
        using HttpResponseMessage served = await gateway.Client.GetAsync("/echo");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(ShutdownPhase.DrainDelay, handle.Phase);
    }

    [Fact]
    public async Task Handler_ignoring_its_cancellation_is_cut_off_at_the_end_of_mercy_with_503_shutdown_aborted()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = new FakeWorkerRuntime().Route(Route("stubborn"), async (req, res, ct) =>
        {
            await release.Task;
        });
        await using TestGateway gateway = await StartAsync(runtime, new ShutdownOptions { Grace = TimeSpan.FromMilliseconds(200), Mercy = TimeSpan.FromMilliseconds(200) });
        IShutdownHandle handle = gateway.App.Services.GetRequiredService<IShutdownHandle>();
        Task<HttpResponseMessage> request = gateway.Client.GetAsync("/stubborn");
        await gateway.Logs.WaitForAsync(r => r.EventId.Id == 108);

        handle.Shutdown("test");
        using HttpResponseMessage response = await request;
        await handle.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        release.TrySetResult();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        CapturedLog cutOff = Assert.Single(gateway.Logs.Records, r => r.EventId.Id == ShutdownLog.RequestCutOffId);
        Assert.Equal("/stubborn", cutOff.Text("Path"));
        CapturedLog finished = Assert.Single(gateway.Logs.RequestFinished);
        Assert.Equal("shutdown_aborted", finished.Text("Outcome"));
        Assert.Contains(gateway.Logs.Records, r => r.EventId.Id == ShutdownLog.PhaseFinishedId && r.Text("Phase") == "mercy" && r.Text("Ending") == "1 requests cut off");
    }

    [Fact]
    public async Task A_request_still_sending_its_body_is_waited_for_by_grace_then_cut_off_with_503_shutdown_aborted_not_blamed_on_the_client()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("upload") with { Methods = ["POST"] }, (_, res, ct) => res.WriteAsync("x", ct).AsTask());
        // Grace well below Kestrel's minimum body data rate grace (5 s), which would otherwise end the slow upload first.
        await using TestGateway gateway = await StartAsync(runtime, new ShutdownOptions
        {
            Grace = TimeSpan.FromMilliseconds(500), Mercy = TimeSpan.FromMilliseconds(300), StopWorkers = TimeSpan.FromSeconds(1),
        });
        await using RawHttp raw = await RawHttp.ConnectAsync(gateway.BaseAddress);
        // Kestrel answers "100 Continue" once the endpoint starts reading the body: the request is in the gateway's hands.
        await raw.SendRawAsync("POST /upload HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n");
        await raw.ReadUntilAsync("100 Continue");
        await raw.SendRawAsync("abc");
        IShutdownHandle handle = gateway.App.Services.GetRequiredService<IShutdownHandle>();

        handle.Shutdown("test");
        await raw.ReadUntilAsync("503 Service Unavailable");
        await handle.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        CapturedLog finished = await gateway.Logs.WaitForFinishedAsync("/upload");

        Assert.Contains(gateway.Logs.Records, r => r.EventId.Id == ShutdownLog.PhaseFinishedId && r.Text("Phase") == "grace" && r.Text("Ending") == "time is up");
        CapturedLog cutOff = Assert.Single(gateway.Logs.Records, r => r.EventId.Id == ShutdownLog.RequestCutOffId);
        Assert.Equal("/upload", cutOff.Text("Path"));
        Assert.Equal("shutdown_aborted", finished.Text("Outcome"));
        Assert.Equal(503, finished["Status"]);
        Assert.Equal(false, finished["ClientLeft"]);
    }
}
