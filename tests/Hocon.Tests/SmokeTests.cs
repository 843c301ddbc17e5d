namespace ActorHost.Hocon.Tests;

public class SmokeTests
{
    [Fact]
    public void Project_builds_and_runs_tests() => Assert.True(true);
}
