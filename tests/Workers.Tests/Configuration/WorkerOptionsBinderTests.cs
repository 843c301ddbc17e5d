using ActorHost.Hocon;
using ActorHost.Workers.Configuration;
using ActorHost.Workers.Faults;
using ActorHost.Workers.Options;
using ActorHost.Workers.Registration;
using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Workers.Tests.Configuration;

public sealed class WorkerOptionsBinderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("workers-binding-").FullName;

    private static WorkerRegistry SampleRegistry()
    {
        var services = new ServiceCollection();
        services.AddSampleWorkers();
        return services.BuildServiceProvider().GetRequiredService<WorkerRegistry>();
    }

    private static string HoconDirectory()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "hocon", "reference.conf")))
            {
                return Path.Combine(d.FullName, "hocon");
            }
        }

        throw new InvalidOperationException("hocon/reference.conf not found above " + AppContext.BaseDirectory);
    }

    private Config Load(string userConfig)
    {
        string file = Path.Combine(_directory, "user.conf");
        File.WriteAllText(file, userConfig);
        string hocon = HoconDirectory();
        return ConfigFactory.Load(Path.Combine(hocon, "reference.conf"), [Path.Combine(hocon, "actorhost.conf"), file]);
    }

    [Fact]
    public void The_default_configuration_binds_the_sample_routes_without_problems()
    {
        WorkerOptionsBinding binding = WorkerOptionsBinder.Bind(Load(string.Empty), SampleRegistry());

        Assert.Empty(binding.Problems);
        WorkerRuntimeOptions options = binding.OrThrow();
        Assert.Equal(["counter", "echo", "partial", "slow", "stream"], options.Routes.Keys.Order());
        RouteOptions counter = options.Routes["counter"];
        Assert.Equal((RouteMode.Entity, "id", "/counter/{id}/{**action}"), (counter.Mode, counter.EntityKey, counter.Path));
        Assert.Equal(TimeSpan.FromMinutes(2), counter.PassivateAfter);
        Assert.Equal(["GET", "POST"], counter.Methods);
        Assert.Equal((16, RouterKind.RoundRobin), (options.Routes["echo"].Instances, options.Routes["echo"].Router));
        Assert.Equal(HandlerMode.CancelOnDisconnect, options.Routes["slow"].HandlerMode);
        Assert.Equal(Timeout.InfiniteTimeSpan, options.Routes["stream"].Timeout);
        Assert.Equal("escalate", options.RouteSupervisors);
        Assert.Equal(SupervisionDirective.Restart, Assert.Single(options.Strategies["default"].Decider).Directive);
        Assert.Contains("reference.conf", options.Strategies["default"].Origin);
        Assert.False(options.Faults.Enabled);
        Assert.Equal(30, options.Throughput);
        Assert.True(options.InlineDispatch);
    }

    [Fact]
    public void Inline_dispatch_can_be_turned_off_and_a_word_that_is_not_a_boolean_is_a_problem()
    {
        WorkerOptionsBinding off = WorkerOptionsBinder.Bind(Load("actorhost.actors.inline-dispatch = off"), SampleRegistry());
        Assert.False(off.OrThrow().InlineDispatch);

        WorkerOptionsBinding wrong = WorkerOptionsBinder.Bind(Load("actorhost.actors.inline-dispatch = sometimes"), SampleRegistry());
        Assert.Contains(wrong.Problems, p => p.Path == "actorhost.actors.inline-dispatch");
    }

    [Fact]
    public void Routes_fall_back_to_route_defaults_and_strategies_to_strategy_defaults()
    {
        Config config = Load("""
            actorhost {
              route-defaults { timeout = 7s, instances = 3 }
              routes.extra { path = "/extra", worker = echo }
              supervision.strategy-defaults { max-nr-of-retries = 5, within-time-range = 1m }
              supervision.strategies.careful { type = all-for-one, decider = [{ exception = "System.FormatException", directive = resume }, { exception = "*", directive = stop }] }
            }
            """);

        WorkerRuntimeOptions options = WorkerOptionsBinder.Bind(config, SampleRegistry()).OrThrow();

        Assert.Equal((TimeSpan.FromSeconds(7), 3), (options.Routes["extra"].Timeout, options.Routes["extra"].Instances));
        Assert.Equal(16, options.Routes["echo"].Instances);
        SupervisionStrategyOptions careful = options.Strategies["careful"];
        Assert.Equal((StrategyKind.AllForOne, 5, TimeSpan.FromMinutes(1)), (careful.Type, careful.MaxNrOfRetries, careful.WithinTimeRange));
        Assert.Equal([new DeciderRule("System.FormatException", SupervisionDirective.Resume), new DeciderRule("*", SupervisionDirective.Stop)], careful.Decider);
    }

    [Fact]
    public void A_route_or_strategy_set_to_null_in_a_later_file_is_removed()
    {
        Config config = Load("""
            actorhost.routes.slow = null
            actorhost.supervision.strategies.careful { decider = [{ exception = "*", directive = stop }] }
            actorhost.supervision.strategies.careful = null
            """);

        WorkerOptionsBinding binding = WorkerOptionsBinder.Bind(config, SampleRegistry());

        Assert.Empty(binding.Problems);
        Assert.Equal(["counter", "echo", "partial", "stream"], binding.Options.Routes.Keys.Order());
        Assert.Equal(["default", "escalate"], binding.Options.Strategies.Keys.Order());
    }

    [Fact]
    public void Routes_set_to_null_then_redefined_replace_every_shipped_route()
    {
        Config config = Load("""
            actorhost.routes = null
            actorhost.routes.mine { path = "/mine", worker = echo }
            """);

        WorkerRuntimeOptions options = WorkerOptionsBinder.Bind(config, SampleRegistry()).OrThrow();

        RouteOptions mine = Assert.Single(options.Routes).Value;
        Assert.Equal(("/mine", 4, "default"), (mine.Path, mine.Instances, mine.Supervision));
    }

    [Fact]
    public void Route_names_that_differ_only_in_case_are_a_problem()
    {
        Config config = Load("""
            actorhost.routes.Echo { path = "/echo2", worker = echo }
            """);

        WorkerOptionsBinding binding = WorkerOptionsBinder.Bind(config, SampleRegistry());

        ConfigProblem problem = Assert.Single(binding.Problems);
        Assert.Equal("actorhost.routes.Echo", problem.Path);
        Assert.Contains("differs only in case from 'echo' (", problem.Message, StringComparison.Ordinal);
        Assert.Contains("actorhost.conf:", problem.Message, StringComparison.Ordinal);
        Assert.Contains("user.conf:1", problem.Origin, StringComparison.Ordinal);
    }

    [Fact]
    public void Fault_rules_bind_every_key()
    {
        Config config = Load("""
            actorhost.faults {
              enabled = on
              seed = 9
              rules = [{ route = "counter", worker = "/user/routes/counter/4*", point = after-bytes, every = 3,
                         after-bytes = 100, exception = "System.IO.IOException", message = "m", exit-code = 0, hang-limit = 5s }]
            }
            """);

        FaultOptions faults = WorkerOptionsBinder.Bind(config, SampleRegistry()).OrThrow().Faults;

        Assert.True(faults.Enabled);
        Assert.Equal(9, faults.Seed);
        FaultRule rule = Assert.Single(faults.Rules);
        Assert.Equal(("counter", "/user/routes/counter/4*", FaultPoint.AfterBytes, 3L, 100L), (rule.Route, rule.Worker, rule.Point, rule.Every, rule.AfterBytes));
        Assert.Equal(("System.IO.IOException", "m", TimeSpan.FromSeconds(5)), (rule.Exception, rule.Message, rule.HangLimit));
        Assert.Contains("user.conf:", rule.Origin);
    }

    [Fact]
    public void A_probability_of_zero_binds_as_set_and_an_absent_one_as_not_used()
    {
        Config config = Load("""
            actorhost.faults {
              enabled = on
              rules = [{ route = paused, probability = 0 }, { route = always }, { route = sometimes, probability = 0.25 }]
            }
            """);

        FaultOptions faults = WorkerOptionsBinder.Bind(config, SampleRegistry()).OrThrow().Faults;

        Assert.Equal<double?>([0.0, null, 0.25], faults.Rules.Select(r => r.Probability));
    }

    [Fact]
    public void A_probability_beside_another_trigger_is_refused_even_at_zero()
    {
        Config config = Load("""
            actorhost.faults { enabled = on, rules = [{ nth = 2, probability = 0 }] }
            """);

        var e = Assert.Throws<WorkerConfigurationException>(() => WorkerOptionsBinder.Bind(config, SampleRegistry()).OrThrow());

        Assert.Contains("at most one of nth, every and probability", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_path_and_file_and_line()
    {
        Config config = Load("""
            actorhost {
              routes {
                a { path = "/a", worker = nope, instances = 0, router = random, supervision = missing, timeout = soon }
                b { path = "/b/{id}", worker = counter, mode = entity, entity-key = key }
              }
              supervision {
                route-supervisors = nothing
                strategies.bad {
                  type = one-for-two
                  max-nr-of-retries = -5
                  decider = [{ exception = "System.NoSuchException", directive = restart },
                             { exception = "System.String", directive = explode }]
                }
              }
              actors.throughput = 0
              actors.mailbox { type = bounded, capacity = 0 }
              faults { enabled = on, rules = [{ point = sideways, nth = 1, every = 2, colour = red }] }
            }
            """);

        WorkerOptionsBinding binding = WorkerOptionsBinder.Bind(config, SampleRegistry());

        Assert.False(binding.IsValid);
        (string Path, int Line)[] expected =
        [
            ("actorhost.routes.a.worker", 3),
            ("actorhost.routes.a.instances", 3),
            ("actorhost.routes.a.router", 3),
            ("actorhost.routes.a.supervision", 3),
            ("actorhost.routes.a.timeout", 3),
            ("actorhost.routes.b.entity-key", 4),
            ("actorhost.supervision.route-supervisors", 7),
            ("actorhost.supervision.strategies.bad.type", 9),
            ("actorhost.supervision.strategies.bad.max-nr-of-retries", 10),
            ("actorhost.supervision.strategies.bad.decider.0.exception", 11),
            ("actorhost.supervision.strategies.bad.decider.1.exception", 12),
            ("actorhost.supervision.strategies.bad.decider.1.directive", 12),
            ("actorhost.actors.throughput", 15),
            ("actorhost.actors.mailbox.capacity", 16),
            ("actorhost.faults.rules.0.point", 17),
            ("actorhost.faults.rules.0.nth", 17),
            ("actorhost.faults.rules.0.colour", 17),
        ];
        foreach ((string path, int line) in expected)
        {
            ConfigProblem problem = Assert.Single(binding.Problems, p => p.Path == path);
            Assert.NotNull(problem.Origin);
            Assert.Contains($"user.conf:{line}:", problem.Origin);
        }

        Assert.Contains("unknown worker \"nope\"", binding.Problems.Single(p => p.Path.EndsWith(".a.worker", StringComparison.Ordinal)).Message);
        Assert.Contains("counter", binding.Problems.Single(p => p.Path.EndsWith(".a.worker", StringComparison.Ordinal)).Message);
        Assert.Contains("round-robin", binding.Problems.Single(p => p.Path.EndsWith(".router", StringComparison.Ordinal)).Message);
        Assert.Contains("not an exception type", binding.Problems.Single(p => p.Path.EndsWith("decider.1.exception", StringComparison.Ordinal)).Message);
        WorkerConfigurationException thrown = Assert.Throws<WorkerConfigurationException>(binding.OrThrow);
        Assert.Equal(binding.Problems.Count, thrown.Problems.Count);
        Assert.Contains("actorhost.routes.a.worker", thrown.Message);
    }

    // Each of these waits on a timer, which throws for more than about 49.7 days: at the first entity request (an
    // escalation to the root) or at every request (a 500), so it is refused with its place instead.
    [Theory]
    [InlineData("actorhost.routes.counter.passivate-after = 50d", "actorhost.routes.counter.passivate-after")]
    [InlineData("actorhost.routes.echo.timeout = 60d", "actorhost.routes.echo.timeout")]
    [InlineData("actorhost.routes.echo.stuck-after = 60d", "actorhost.routes.echo.stuck-after")]
    public void A_duration_longer_than_a_timer_can_wait_is_refused_with_its_place(string line, string path)
    {
        WorkerOptionsBinding binding = WorkerOptionsBinder.Bind(Load(line), SampleRegistry());

        ConfigProblem problem = Assert.Single(binding.Problems, p => p.Path == path);
        Assert.Contains("must be at most 49 days, or infinite", problem.Message, StringComparison.Ordinal);
        Assert.Matches(@"user\.conf:1:\d+$", problem.Origin);
    }

    [Fact]
    public void Forty_nine_days_and_infinite_are_accepted_for_every_timer_duration()
    {
        WorkerOptionsBinding binding = WorkerOptionsBinder.Bind(Load("""
            actorhost.routes.counter.passivate-after = 49d
            actorhost.routes.echo { timeout = 49d, stuck-after = 49d }
            actorhost.routes.slow { timeout = infinite, stuck-after = infinite }
            """), SampleRegistry());

        Assert.Empty(binding.Problems);
        Assert.Equal(TimeSpan.FromDays(49), binding.Options.Routes["counter"].PassivateAfter);
        Assert.Equal((TimeSpan.FromDays(49), TimeSpan.FromDays(49)), (binding.Options.Routes["echo"].Timeout, binding.Options.Routes["echo"].StuckAfter));
    }

    [Fact]
    public void Back_pressure_for_the_request_mailbox_is_refused_with_the_reason_and_the_alternative()
    {
        WorkerOptionsBinding binding = WorkerOptionsBinder.Bind(
            Load("actorhost.actors.mailbox { type = bounded, capacity = 10, overflow = back-pressure }"), SampleRegistry());

        ConfigProblem problem = Assert.Single(binding.Problems);
        Assert.Equal("actorhost.actors.mailbox.overflow", problem.Path);
        Assert.Equal(
            "back-pressure is not supported for request mailboxes; use reject (503 + Retry-After) with a larger capacity",
            problem.Message);
        Assert.Matches(@"user\.conf:1:\d+$", problem.Origin);
    }

    [Fact]
    public void The_runtime_refuses_options_built_in_code_that_name_unknown_workers_or_strategies()
    {
        var services = new ServiceCollection().AddSampleWorkers().BuildServiceProvider();
        var options = new WorkerRuntimeOptions
        {
            Routes = new Dictionary<string, RouteOptions>
            {
                ["x"] = new() { Name = "x", Path = "/x", Worker = "ghost", Supervision = "phantom" },
            },
        };

        WorkerConfigurationException e = Assert.Throws<WorkerConfigurationException>(() => new Workers.Runtime.WorkerRuntime(options, services));

        Assert.Contains(e.Problems, p => p.Path == "actorhost.routes.x.worker");
        Assert.Contains(e.Problems, p => p.Path == "actorhost.routes.x.supervision");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
