using ActorHost.Gateway.Shutdown;
using ActorHost.Hocon;
using ActorHost.Workers.Configuration;

namespace ActorHost.Gateway.Tests.Shutdown;

public sealed class ShutdownOptionsBinderTests
{
    private static Config Parse(string text) => ConfigFactory.ParseString(text, new HoconParseOptions { SourceName = "test.conf" }).Resolve();

    [Fact]
    public void Missing_section_binds_the_defaults()
    {
        (ShutdownOptions options, IReadOnlyList<ConfigProblem> problems) = ShutdownOptionsBinder.Bind(Parse("actorhost {}"));

        Assert.Empty(problems);
        Assert.Equal(new ShutdownOptions(), options);
    }

    [Fact]
    public void Phases_and_the_budget_come_from_the_configuration()
    {
        (ShutdownOptions options, IReadOnlyList<ConfigProblem> problems) = ShutdownOptionsBinder.Bind(
            Parse("actorhost.shutdown { leave = 4s, drain-delay = 5s, grace = 20s, mercy = 500ms, stop-workers = 2s }"));

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromSeconds(4), options.Leave);
        Assert.Equal(TimeSpan.FromSeconds(5), options.DrainDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Grace);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Mercy);
        Assert.Equal(TimeSpan.FromSeconds(2), options.StopWorkers);
        Assert.Equal(TimeSpan.FromSeconds(4 + 5 + 20 + 0.5 + 2 + 1), options.Budget);
    }

    [Fact]
    public void Infinite_or_too_long_or_malformed_phases_are_each_reported_with_file_line_and_column()
    {
        (_, IReadOnlyList<ConfigProblem> problems) = ShutdownOptionsBinder.Bind(Parse("""
            actorhost.shutdown {
              grace = infinite
              mercy = 2h
              drain-delay = soon
            }
            """));

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Path == "actorhost.shutdown.grace" && p.Origin == "test.conf:2:11");
        Assert.Contains(problems, p => p.Path == "actorhost.shutdown.mercy" && p.Origin == "test.conf:3:11");
        Assert.Contains(problems, p => p.Path == "actorhost.shutdown.drain-delay" && p.Origin == "test.conf:4:17");
    }
}
