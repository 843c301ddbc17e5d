using ActorHost.Gateway.Hosting;
using ActorHost.Gateway.Shutdown;
using ActorHost.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ActorHost.Gateway.Tests.Shutdown;

/// <summary>The stop signals the run command listens to before the gateway exists, and their handover to the shutdown.</summary>
public sealed class StopSignalsTests
{
    [Fact]
    public async Task Signal_before_the_gateway_exists_is_remembered_and_starts_the_shutdown_once_attached()
    {
        await using TestGateway gateway = await TestGateway.StartAsync(_ => new FakeWorkerRuntime(), services: s =>
        {
            s.RemoveAll<ShutdownOptions>();
            s.AddSingleton(new ShutdownOptions { DrainDelay = TimeSpan.FromSeconds(30), Grace = TimeSpan.FromSeconds(1), Mercy = TimeSpan.FromSeconds(1) });
        });
        GracefulShutdown shutdown = gateway.App.Services.GetRequiredService<GracefulShutdown>();

        // Not listening: Deliver is what the handler does with a signal, without signalling the test process.
        using var signals = new StopSignals();
        signals.Deliver("SIGTERM", 15);
        string? early = signals.EarlySignal;
        ShutdownPhase beforeAttach = shutdown.Phase;
        signals.Attach(shutdown);
        await gateway.Logs.WaitForAsync(r => r.EventId.Id == ShutdownLog.PhaseStartedId && r.Text("Phase") == "drain-delay");

        // After the handover a signal goes straight to the shutdown: the second one skips the 30 s drain-delay.
        signals.Deliver("SIGINT", 2);
        await shutdown.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("SIGTERM", early);
        Assert.Equal(ShutdownPhase.Running, beforeAttach);
        Assert.Equal("SIGTERM", shutdown.Reason);
        Assert.Null(signals.EarlySignal);
        Assert.Contains(gateway.Logs.Records, r => r.EventId.Name == "SignalReceived" && r.Text("Signal") == "SIGINT" && r.Text("Action") == "skipping to mercy");
        Assert.False(gateway.Exit.Exited.IsCompleted);
    }
}
