using ActorHost.Hocon;
using ActorHost.Workers.Configuration;

namespace ActorHost.Cluster.Tests.Configuration;

public sealed class ClusterOptionsBinderTests
{
    private const string Required = """
        actorhost.cluster {
          enabled = on
          node-id = node-1
          connection-string = "Host=db;Username=actorhost;Database=actorhost"
          advertise-url = "http://10.0.0.5:9090"
          secret = "0123456789abcdef0123456789abcdef"
        }
        """;

    private static Config Parse(string text) => ConfigFactory.ParseString(text, new HoconParseOptions { SourceName = "test.conf" }).Resolve();

    private static Config WithReference(string text) =>
        ConfigFactory.ParseString(text, new HoconParseOptions { SourceName = "test.conf" })
            .WithFallback(ConfigFactory.ParseFile(ReferenceConf()))
            .Resolve(HoconResolveOptions.NoEnvironment);

    private static string ReferenceConf()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "hocon", "reference.conf");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "ActorHost.sln")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("hocon/reference.conf not found above the test directory");
    }

    [Fact]
    public void Disabled_by_default_and_nothing_else_is_validated()
    {
        (ClusterOptions options, IReadOnlyList<ConfigProblem> problems) = ClusterOptionsBinder.Bind(WithReference("""
            actorhost.cluster { number-of-shards = -5, secret = short, heartbeat-interval = banana, no-such-key = 1 }
            """));

        Assert.Empty(problems);
        Assert.False(options.Enabled);
        Assert.Equal(new ClusterOptions(), options);
    }

    [Fact]
    public void The_reference_conf_defaults_equal_the_ClusterOptions_defaults()
    {
        (ClusterOptions options, IReadOnlyList<ConfigProblem> problems) = ClusterOptionsBinder.Bind(WithReference(Required));

        Assert.Empty(problems);
        Assert.Empty(options.InternalUrls);
        var expected = new ClusterOptions
        {
            Enabled = true,
            NodeId = "node-1",
            ConnectionString = "Host=db;Username=actorhost;Database=actorhost",
            AdvertiseUrl = new Uri("http://10.0.0.5:9090"),
            Secret = "0123456789abcdef0123456789abcdef",
        };
        Assert.Equal(expected, options with { InternalUrls = expected.InternalUrls });
    }

    [Fact]
    public void Every_key_is_read()
    {
        (ClusterOptions options, IReadOnlyList<ConfigProblem> problems) = ClusterOptionsBinder.Bind(WithReference(Required + """

            actorhost.cluster {
              schema = cluster_b
              number-of-shards = 250
              internal-urls = ["http://0.0.0.0:9090", "http://[::]:9091"]
              heartbeat-interval = 500ms
              failure-timeout = 3s
              lease-duration = 4s
              fencing-margin = 800ms
              handoff-timeout = 7s
              handoff-buffer = 123
              rebalance-batch = 4
              replay-window = 20s
              forward-connect-timeout = 1500ms
              ready-during-database-outage = off
            }
            """));

        Assert.Empty(problems);
        Assert.Equal("cluster_b", options.Schema);
        Assert.Equal(250, options.NumberOfShards);
        Assert.Equal(["http://0.0.0.0:9090", "http://[::]:9091"], options.InternalUrls);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), options.FailureTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), options.LeaseDuration);
        Assert.Equal(TimeSpan.FromMilliseconds(800), options.FencingMargin);
        Assert.Equal(TimeSpan.FromSeconds(7), options.HandoffTimeout);
        Assert.Equal(123, options.HandoffBuffer);
        Assert.Equal(4, options.RebalanceBatch);
        Assert.Equal(TimeSpan.FromSeconds(20), options.ReplayWindow);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ForwardConnectTimeout);
        Assert.False(options.ReadyDuringDatabaseOutage);
    }

    [Theory]
    [InlineData("nœud-1")]
    [InlineData("节点1")]
    [InlineData("node 1")]
    public void A_node_id_that_cannot_be_an_http_header_value_is_a_problem(string nodeId)
    {
        // The id travels in HTTP headers (ActorHost-Origin, ActorHost-Node): accepted, it would break every forwarded request.
        (_, IReadOnlyList<ConfigProblem> problems) = ClusterOptionsBinder.Bind(Parse(Required.Replace("node-id = node-1", $"node-id = \"{nodeId}\"", StringComparison.Ordinal)));

        ConfigProblem problem = Assert.Single(problems);
        Assert.Equal("actorhost.cluster.node-id", problem.Path);
        Assert.Contains("printable ASCII", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_node_id_becomes_host_pid_and_random_hex()
    {
        (ClusterOptions first, IReadOnlyList<ConfigProblem> problems) = ClusterOptionsBinder.Bind(WithReference(Required + "\nactorhost.cluster.node-id = \"\""));
        (ClusterOptions second, _) = ClusterOptionsBinder.Bind(WithReference(Required + "\nactorhost.cluster.node-id = \"\""));

        Assert.Empty(problems);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(Environment.MachineName)}-{Environment.ProcessId}-[0-9a-f]{{6}}$", first.NodeId);
        Assert.NotEqual(first.NodeId, second.NodeId);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0", "[]", true)]
    [InlineData("http://[::1]:0", "[]", true)]
    [InlineData("http://node-a:0", "[]", false)]
    [InlineData("http://127.0.0.1:0", "[\"http://0.0.0.0:9090\"]", false)]
    public void Advertise_port_0_needs_an_IP_host_and_no_internal_urls(string advertise, string internalUrls, bool accepted)
    {
        (ClusterOptions options, IReadOnlyList<ConfigProblem> problems) = ClusterOptionsBinder.Bind(WithReference(Required + $$"""

            actorhost.cluster { advertise-url = "{{advertise}}", internal-urls = {{internalUrls}} }
            """));

        if (accepted)
        {
            Assert.Empty(problems);
            Assert.Equal(0, options.AdvertiseUrl!.Port);
        }
        else
        {
            ConfigProblem problem = Assert.Single(problems);
            Assert.Equal("actorhost.cluster.advertise-url", problem.Path);
            Assert.Contains("port 0", problem.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_problem_is_reported_with_its_path_and_file_line()
    {
        (_, IReadOnlyList<ConfigProblem> problems) = ClusterOptionsBinder.Bind(Parse("""
            actorhost.cluster {
              enabled = on
              connection-string = ""
              advertise-url = "https://node:9090"
              secret = "too short"
              number-of-shards = 0
              schema = "bad-schema; drop table x"
              internal-urls = ["tcp://x"]
              heartbeat-interval = 0s
              handoff-timeout = infinite
              handoff-buffer = -1
              rebalance-batch = 0
              replay-window = 2h
              forward-connect-timeout = 0s
              fencing-margin = 0s
              lease-durations = 5s
            }
            """));

        var byPath = problems.ToDictionary(p => p.Path);
        Assert.StartsWith("test.conf:3:", byPath["actorhost.cluster.connection-string"].Origin, StringComparison.Ordinal);
        Assert.Contains("required", byPath["actorhost.cluster.connection-string"].Message, StringComparison.Ordinal);
        Assert.StartsWith("test.conf:4:", byPath["actorhost.cluster.advertise-url"].Origin, StringComparison.Ordinal);
        Assert.Contains("http://", byPath["actorhost.cluster.advertise-url"].Message, StringComparison.Ordinal);
        Assert.Contains("32", byPath["actorhost.cluster.secret"].Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 100000", byPath["actorhost.cluster.number-of-shards"].Message, StringComparison.Ordinal);
        Assert.Contains("identifier", byPath["actorhost.cluster.schema"].Message, StringComparison.Ordinal);
        Assert.Contains("tcp://x", byPath["actorhost.cluster.internal-urls"].Message, StringComparison.Ordinal);
        Assert.Contains("greater than zero", byPath["actorhost.cluster.heartbeat-interval"].Message, StringComparison.Ordinal);
        Assert.Contains("finite", byPath["actorhost.cluster.handoff-timeout"].Message, StringComparison.Ordinal);
        Assert.True(byPath.ContainsKey("actorhost.cluster.handoff-buffer"));
        Assert.True(byPath.ContainsKey("actorhost.cluster.rebalance-batch"));
        Assert.True(byPath.ContainsKey("actorhost.cluster.replay-window"));
        Assert.True(byPath.ContainsKey("actorhost.cluster.forward-connect-timeout"));
        Assert.True(byPath.ContainsKey("actorhost.cluster.fencing-margin"));
        Assert.Contains("unknown key", byPath["actorhost.cluster.lease-durations"].Message, StringComparison.Ordinal);
        Assert.StartsWith("test.conf:16:", byPath["actorhost.cluster.lease-durations"].Origin, StringComparison.Ordinal);
        Assert.All(problems, p => Assert.StartsWith("test.conf:", p.Origin, StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_required_keys_and_broken_relations_between_timings_are_reported()
    {
        (_, IReadOnlyList<ConfigProblem> problems) = ClusterOptionsBinder.Bind(Parse("""
            actorhost.cluster {
              enabled = on
              heartbeat-interval = 1s
              failure-timeout = 1500ms
              fencing-margin = 1s
              lease-duration = 2s
            }
            """));

        var paths = problems.Select(p => p.Path).ToHashSet();
        Assert.Contains("actorhost.cluster.connection-string", paths);
        Assert.Contains("actorhost.cluster.advertise-url", paths);
        Assert.Contains("actorhost.cluster.secret", paths);
        ConfigProblem failure = Assert.Single(problems, p => p.Path == "actorhost.cluster.failure-timeout");
        Assert.Contains("twice heartbeat-interval", failure.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.conf:4:", failure.Origin, StringComparison.Ordinal);
        ConfigProblem lease = Assert.Single(problems, p => p.Path == "actorhost.cluster.lease-duration");
        Assert.Contains("heartbeat-interval + fencing-margin", lease.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_of_the_wrong_type_are_problems_not_exceptions()
    {
        (ClusterOptions options, IReadOnlyList<ConfigProblem> problems) = ClusterOptionsBinder.Bind(Parse(Required + """

            actorhost.cluster { number-of-shards = many, heartbeat-interval = soon, internal-urls = "http://x" }
            """));

        Assert.Equal(100, options.NumberOfShards);
        Assert.Contains(problems, p => p.Path == "actorhost.cluster.number-of-shards" && p.Origin!.StartsWith("test.conf:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "actorhost.cluster.heartbeat-interval");
        Assert.Contains(problems, p => p.Path == "actorhost.cluster.internal-urls");
    }

    [Fact]
    public void An_invalid_connection_string_is_reported()
    {
        (_, IReadOnlyList<ConfigProblem> problems) = ClusterOptionsBinder.Bind(Parse(Required + "\nactorhost.cluster.connection-string = \"NoSuchKeyword=1\""));

        ConfigProblem problem = Assert.Single(problems);
        Assert.Equal("actorhost.cluster.connection-string", problem.Path);
    }
}
