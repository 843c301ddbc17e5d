using ActorHost.Gateway.Cli;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Tests.Infrastructure;

namespace ActorHost.Gateway.Tests.Cli;

/// <summary>What a <c>--config</c> file can do to the shipped sample routes: remove one, or replace them all.</summary>
public sealed class RouteLayeringTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("actorhost-routes-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void A_sample_route_set_to_null_is_not_mounted()
    {
        GatewayConfigurationResult result = Load("actorhost.routes.slow = null");

        Assert.Empty(result.Problems);
        Assert.Equal(["counter", "echo", "partial", "stream"], result.Configuration!.Workers.Routes.Keys.Order());
    }

    [Fact]
    public void Routes_set_to_null_then_written_anew_replace_every_sample_route()
    {
        GatewayConfigurationResult result = Load("""
            actorhost.routes = null
            actorhost.routes.mine { path = "/mine", methods = [POST], worker = echo }
            """);

        Assert.Empty(result.Problems);
        var route = Assert.Single(result.Configuration!.Workers.Routes);
        Assert.Equal(("mine", "/mine", 4), (route.Key, route.Value.Path, route.Value.Instances));
    }

    [Fact]
    public void A_route_name_that_differs_from_a_sample_route_only_in_case_is_a_problem_with_its_file_and_line()
    {
        GatewayConfigurationResult result = Load("""
            actorhost.routes.Echo { path = "/echo2", worker = echo }
            """);

        Assert.Null(result.Configuration);
        Assert.Contains(result.Problems, p => p.Contains("user.conf:1", StringComparison.Ordinal) && p.Contains("actorhost.routes.Echo", StringComparison.Ordinal));
    }

    private GatewayConfigurationResult Load(string text)
    {
        string file = Path.Combine(_directory.FullName, "user.conf");
        File.WriteAllText(file, text);
        return GatewayConfigurationLoader.Load(RepositoryPaths.Hocon, [file], GatewayWorkers.Register);
    }
}
