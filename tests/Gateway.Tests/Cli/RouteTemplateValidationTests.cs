using ActorHost.Gateway.Tests.Infrastructure;

namespace ActorHost.Gateway.Tests.Cli;

/// <summary>
/// Route templates are checked as ASP.NET Core will use them before anything listens: a template it cannot
/// parse used to crash the start, an unknown constraint turned every route into an empty 500, and two routes
/// matching the same requests failed each such request as ambiguous.
/// </summary>
public sealed class RouteTemplateValidationTests
{
    [Theory]
    [InlineData("/echo/{", "not a valid route template")]
    [InlineData("/echo/{id}/{id}", "not a valid route template")]
    [InlineData("/echo/{id:nosuch}", "unknown constraint \"nosuch\"")]
    public async Task An_invalid_route_template_is_reported_at_the_path(string template, string reason)
    {
        string file = await ConfigFiles.WriteAsync($"actorhost.routes.echo.path = \"{template}\"");

        IReadOnlyList<string> problems = ConfigFiles.Problems(file);

        string problem = Assert.Single(problems);
        Assert.StartsWith(file + ":1:", problem, StringComparison.Ordinal);
        Assert.Contains("actorhost.routes.echo.path", problem, StringComparison.Ordinal);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/echo/{id:int}")]
    [InlineData("/echo/{id:regex(^a;b$)}")]
    [InlineData("/echo/{id:minlength(2):maxlength(8)}")]
    [InlineData("/echo/{id?}")]
    public async Task Templates_with_built_in_constraints_are_accepted(string template)
    {
        string file = await ConfigFiles.WriteAsync($"actorhost.routes.echo.path = \"{template}\"");

        Assert.Empty(ConfigFiles.Problems(file));
    }

    [Fact]
    public async Task Two_routes_matching_the_same_requests_are_reported_on_the_later_one_naming_the_earlier()
    {
        string file = await ConfigFiles.WriteAsync("""
            actorhost.routes {
              echo2 { path = "/echo", methods = [GET, POST], worker = echo }
              c1 { path = "/x/{id}", worker = echo }
              c2 { path = "/X/{key}", worker = echo }
            }
            """);

        IReadOnlyList<string> problems = ConfigFiles.Problems(file);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith(file + ":2:", StringComparison.Ordinal)
            && p.Contains("actorhost.routes.echo2.path", StringComparison.Ordinal)
            && p.Contains("POST", StringComparison.Ordinal) && !p.Contains("GET", StringComparison.Ordinal)
            && p.Contains("route \"echo\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(file + ":4:", StringComparison.Ordinal)
            && p.Contains("actorhost.routes.c2.path", StringComparison.Ordinal)
            && p.Contains("route \"c1\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Routes_with_the_same_template_and_different_methods_or_constraints_are_accepted()
    {
        string file = await ConfigFiles.WriteAsync("""
            actorhost.routes {
              echo-get { path = "/echo", methods = [GET], worker = echo }
              by-number { path = "/x/{id:int}", worker = echo }
              by-name { path = "/x/{name}", worker = echo }
            }
            """);

        Assert.Empty(ConfigFiles.Problems(file));
    }

    [Fact]
    public async Task An_entity_key_that_is_only_a_prefix_of_a_parameter_is_refused()
    {
        string file = await ConfigFiles.WriteAsync("actorhost.routes.counter.entity-key = i");

        string problem = Assert.Single(ConfigFiles.Problems(file));

        Assert.StartsWith(file + ":1:", problem, StringComparison.Ordinal);
        Assert.Contains("actorhost.routes.counter.entity-key", problem, StringComparison.Ordinal);
        Assert.Contains("no parameter \"i\"", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/counter/{**id}")]
    [InlineData("/counter/{*id}")]
    [InlineData("/counter/{ID:int}")]
    public async Task The_entity_key_may_be_any_parameter_of_the_template(string template)
    {
        string file = await ConfigFiles.WriteAsync($"actorhost.routes.counter.path = \"{template}\"");

        Assert.Empty(ConfigFiles.Problems(file));
    }
}
