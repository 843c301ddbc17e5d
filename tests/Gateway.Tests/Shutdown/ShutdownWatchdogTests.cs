using ActorHost.Gateway.Shutdown;
using ActorHost.Gateway.Tests.Infrastructure;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using RouteOptions = ActorHost.Workers.Options.RouteOptions;

namespace ActorHost.Gateway.Tests.Shutdown;

/// <summary>The shutdown's bound holds even when the runtime never finishes stopping.</summary>
public sealed class ShutdownWatchdogTests
{
    [Fact]
    public async Task Runtime_that_never_stops_is_left_behind_when_the_budget_is_spent_and_the_process_exits()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = new NeverStoppingRuntime(new FakeWorkerRuntime().Route(new RouteOptions
        {
            Name = "echo",
            Path = "/echo",
            Methods = ["GET"],
            Worker = "echo",
            HandlerMode = HandlerMode.Detached,
        }, (req, res, ct) => res.WriteAsync("hi", ct).AsTask()), release.Task);
        var options = new ShutdownOptions { Grace = TimeSpan.FromMilliseconds(100), Mercy = TimeSpan.FromMilliseconds(100), StopWorkers = TimeSpan.FromMilliseconds(100) };
        await using TestGateway gateway = await TestGateway.StartAsync(_ => runtime, services: s =>
        {
            s.RemoveAll<ShutdownOptions>();
            s.AddSingleton(options);
        });
        IShutdownHandle handle = gateway.App.Services.GetRequiredService<IShutdownHandle>();

        handle.Shutdown("test");
        int exitCode = await gateway.Exit.Exited.WaitAsync(TimeSpan.FromSeconds(30));
        release.TrySetResult();

        Assert.Equal(0, exitCode);
        Assert.False(handle.Completion.IsCompleted);
        CapturedLog fired = Assert.Single(gateway.Logs.Records, r => r.EventId.Id == 306);
        Assert.Equal(LogLevel.Critical, fired.Level);
        Assert.Equal("stop-workers", fired.Text("Phase"));
        Assert.Equal(options.Budget.TotalMilliseconds, Convert.ToDouble(fired["BudgetMs"], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A runtime whose stop hangs until released (a worker stuck in its stop hook, say).</summary>
    private sealed class NeverStoppingRuntime(FakeWorkerRuntime inner, Task released) : IWorkerRuntime
    {
        public IReadOnlyDictionary<string, RouteOptions> Routes => inner.Routes;

        public Task<RuntimeTermination> WhenTerminated => inner.WhenTerminated;

        public RequestEnvelope CreateEnvelope(WorkerRequest request, IResponseSink sink) => inner.CreateEnvelope(request, sink);

        public void Dispatch(RequestEnvelope envelope) => inner.Dispatch(envelope);

        public void ReportStuck(RequestEnvelope envelope) => inner.ReportStuck(envelope);

        public Task StopAsync(TimeSpan timeout) => released;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
