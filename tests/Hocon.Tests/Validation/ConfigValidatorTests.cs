using ActorHost.Hocon.Tests.Support;

namespace ActorHost.Hocon.Tests.Validation;

public class ConfigValidatorTests
{
    private static readonly Config Reference = HoconText.Resolve("""
        app {
          port = 8080
          timeout = 30s
          names = [a]
          ports = [80]
          routes {}
          route-defaults { path = "", instances = 4, methods = [GET] }
          extra = null
        }
        """);

    private static Config Application(string text) => ConfigFactory.ParseString(text).WithFallback(Reference).Resolve(HoconResolveOptions.NoEnvironment);

    private static readonly ConfigValidationOptions Strict = new()
    {
        RejectUnknownKeysUnder = ["app"],
        OpenMaps = new Dictionary<string, string> { ["app.routes"] = "app.route-defaults" },
    };

    [Fact]
    public void A_valid_configuration_has_no_problems()
    {
        Assert.Empty(ConfigValidator.Validate(Application("app.port = 9000\napp.routes.echo { path = /echo }"), Reference, Strict));
    }

    [Fact]
    public void Unknown_keys_are_reported_only_where_asked_for()
    {
        var config = Application("app.prot = 9000\nother.thing = 1");

        var problem = Assert.Single(ConfigValidator.Validate(config, Reference, Strict));

        Assert.Equal(ValidationProblemKind.Unknown, problem.Kind);
        Assert.Equal("app.prot", problem.Path);
        Assert.Equal(1, problem.Origin.Line);
        Assert.Empty(ConfigValidator.Validate(config, Reference));
    }

    [Fact]
    public void Open_map_entries_are_checked_against_the_template()
    {
        var config = Application("app.routes {\n  echo { path = /echo, instances = [1] }\n  slow { pth = /slow }\n  bad = 5\n}");

        var problems = ConfigValidator.Validate(config, Reference, Strict);

        Assert.Collection(
            problems.OrderBy(p => p.Origin.Line),
            p => Assert.Equal(("app.routes.echo.instances", ValidationProblemKind.WrongType, 2), (p.Path, p.Kind, p.Origin.Line)),
            p => Assert.Equal(("app.routes.slow.pth", ValidationProblemKind.Unknown, 3), (p.Path, p.Kind, p.Origin.Line)),
            p => Assert.Equal(("app.routes.bad", ValidationProblemKind.WrongType, 4), (p.Path, p.Kind, p.Origin.Line)));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_the_exception()
    {
        var config = HoconText.Resolve("app { port = {}, timeout = 5s, ports = [{}] }");

        var error = Assert.Throws<HoconValidationException>(() => ConfigValidator.ThrowIfInvalid(config, Reference, Strict));

        Assert.True(error.Problems.Count >= 4);
        Assert.All(error.Message.Split('\n'), line => Assert.Matches(@"^string:\d+:\d+: ", line));
        Assert.Contains(error.Problems, p => p.Kind == ValidationProblemKind.Missing && p.Path == "app.routes");
        Assert.Contains(error.Problems, p => p.Kind == ValidationProblemKind.WrongElementType && p.Path == "app.ports");
    }

    [Fact]
    public void Restricting_checks_only_the_named_subtrees()
    {
        var reference = HoconText.Resolve("a { x = 1 }\nb { y = 2 }");
        var config = HoconText.Resolve("a { x = 1 }");

        Assert.Empty(ConfigValidator.Validate(config, reference, new ConfigValidationOptions { RestrictToPaths = ["a"] }));
        Assert.Single(ConfigValidator.Validate(config, reference, new ConfigValidationOptions { RestrictToPaths = ["b"] }));
    }

    [Fact]
    public void Numerically_indexed_objects_satisfy_a_list_setting()
    {
        var config = Application("app.ports = null\napp.ports { \"0\" = 81 }");
        Assert.Empty(ConfigValidator.Validate(config, Reference, Strict));
    }

    [Fact]
    public void Strict_strings_refuse_objects_and_lists_where_the_reference_has_a_string()
    {
        var config = Application("app.timeout = [1]\napp.routes.echo { path = { x = 1 } }");

        Assert.Empty(ConfigValidator.Validate(config, Reference, Strict));

        var problems = ConfigValidator.Validate(config, Reference, Strict with { StrictStrings = true });
        Assert.Equal(["app.routes.echo.path", "app.timeout"], problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.All(problems, p => Assert.Equal(("string", ValidationProblemKind.WrongType), (p.Expected, p.Kind)));
    }
}
