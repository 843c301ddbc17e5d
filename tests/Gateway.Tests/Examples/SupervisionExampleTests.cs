using ActorHost.Gateway.Tests.Infrastructure;
using ActorHost.Gateway.Tests.Outcomes;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Examples;

/// <summary>
/// The README's "Choosing a supervision policy" examples, run exactly as written: each hocon/examples file
/// layered over the shipped configuration, and the curl sequence the README shows, with the answers and log
/// lines it promises.
/// </summary>
public sealed class SupervisionExampleTests
{
    private static string Example(string name) => Path.Combine(RepositoryPaths.Examples, name + ".conf");

    [Fact]
    public async Task Restart_example_gives_a_fresh_counter_after_a_failure()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("", Example("restart"));

        await gateway.Client.PostAsync("/counter/42/increment");
        await gateway.Client.PostAsync("/counter/42/increment");
        Http.Answer failed = await gateway.Client.PostAsync("/counter/42/fail");
        Http.Answer after = await gateway.Client.PostAsync("/counter/42/increment");
        CapturedLog restarted = await gateway.Logs.WaitForAsync(r => r.EventId.Name == "WorkerRestarted");

        Assert.Equal(500, failed.Status);
        Assert.Equal((1L, 2), (after.Count, after.Incarnation));
        Assert.Equal("/user/routes/counter/42", restarted.Text("Path"));
    }

    [Fact]
    public async Task Resume_example_keeps_the_count_after_a_failure()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("", Example("resume"));

        await gateway.Client.PostAsync("/counter/42/increment");
        await gateway.Client.PostAsync("/counter/42/increment");
        Http.Answer failed = await gateway.Client.PostAsync("/counter/42/fail");
        Http.Answer after = await gateway.Client.PostAsync("/counter/42/increment");
        CapturedLog decided = await gateway.Logs.WaitForAsync(r => r.EventId.Name == "WorkerFailed");

        Assert.Equal(500, failed.Status);
        Assert.Equal((3L, 1), (after.Count, after.Incarnation));
        Assert.Equal("resume", decided.Text("Directive"));
    }

    [Fact]
    public async Task Stop_example_stops_the_counter_and_the_next_request_starts_a_new_one()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("", Example("stop"));

        await gateway.Client.PostAsync("/counter/42/increment");
        Http.Answer failed = await gateway.Client.PostAsync("/counter/42/fail");
        CapturedLog stopped = await gateway.Logs.WaitForAsync(r => r.EventId.Name == "WorkerStopped" && r.Text("Path") == "/user/routes/counter/42");
        Http.Answer after = await gateway.Client.PostAsync("/counter/42/increment");

        Assert.Equal(500, failed.Status);
        Assert.NotNull(stopped);
        Assert.Equal(200, after.Status);
        Assert.Equal(1L, after.Count);
    }

    [Fact]
    public async Task Escalate_example_answers_500_logs_Critical_and_exits_70()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("", Example("escalate"));

        await gateway.Client.PostAsync("/counter/42/increment");
        Http.Answer failed = await gateway.Client.PostAsync("/counter/42/fail");
        int exitCode = await gateway.Exit.Exited.WaitAsync(TimeSpan.FromSeconds(15));
        CapturedLog critical = await gateway.Logs.WaitForAsync(r => r.EventId.Name == "RootEscalation");

        Assert.Equal(500, failed.Status);
        Assert.Equal(70, exitCode);
        Assert.Equal(LogLevel.Critical, critical.Level);
    }

    [Fact]
    public void Every_example_file_is_tested_here()
    {
        string[] examples = [.. Directory.GetFiles(RepositoryPaths.Examples, "*.conf").Select(Path.GetFileNameWithoutExtension).Order()!];

        Assert.Equal(["escalate", "restart", "resume", "stop"], examples);
    }
}
