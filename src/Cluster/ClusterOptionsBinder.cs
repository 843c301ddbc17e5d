using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ActorHost.Hocon;
using ActorHost.Workers.Configuration;
using Npgsql;

namespace ActorHost.Cluster;

/// <summary>
/// Binds <see cref="ClusterOptions"/> from <c>actorhost.cluster</c>. Like the other binders it never stops at
/// the first problem: every bad value comes back with its path and file:line. When the cluster is disabled
/// nothing but <c>enabled</c> is read, so a single node never trips over cluster settings it does not use.
/// </summary>
public static partial class ClusterOptionsBinder
{
    /// <summary>The section this binder reads.</summary>
    public const string Section = "actorhost.cluster";

    private static readonly HashSet<string> KnownKeys = new(StringComparer.Ordinal)
    {
        "enabled", "node-id", "connection-string", "schema", "number-of-shards", "advertise-url", "internal-urls",
        "secret", "heartbeat-interval", "failure-timeout", "lease-duration", "fencing-margin", "handoff-timeout",
        "handoff-buffer", "rebalance-batch", "replay-window", "forward-connect-timeout",
        "ready-during-database-outage",
    };

    /// <summary>Reads and validates <c>actorhost.cluster</c>.</summary>
    /// <param name="config">The resolved configuration (reference.conf included).</param>
    /// <returns>The options (defaults where a value was bad) and every problem found.</returns>
    public static (ClusterOptions Options, IReadOnlyList<ConfigProblem> Problems) Bind(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var reader = new Reader(config);
        var defaults = new ClusterOptions();
        bool enabled = reader.Read("enabled", (c, p) => c.GetBoolean(p), false);
        if (!enabled)
        {
            return (defaults, reader.Problems);
        }

        reader.RejectUnknownKeys();
        string nodeId = reader.Read("node-id", (c, p) => c.GetString(p), "");
        if (nodeId.Length == 0)
        {
            nodeId = GeneratedNodeId();
        }
        else if (nodeId.Length > 128 || nodeId.Any(ch => ch is <= ' ' or >= '\x7f'))
        {
            // It travels in an HTTP header on every forwarded request and answer, and header values are ASCII.
            reader.Problem("node-id", "must be at most 128 printable ASCII characters without spaces (it is sent in HTTP headers between nodes)");
        }

        string connectionString = reader.Read("connection-string", (c, p) => c.GetString(p), "");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            reader.Problem("connection-string", "is required when the cluster is enabled (an Npgsql connection string, e.g. \"Host=db;Username=actorhost;Password=...;Database=actorhost\")");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException e)
            {
                reader.Problem("connection-string", $"is not a valid Npgsql connection string: {e.Message}");
            }
        }

        string schema = reader.Read("schema", (c, p) => c.GetString(p), defaults.Schema, s => IsSchemaName(s),
            "must be a plain PostgreSQL identifier: a letter or '_', then letters, digits or '_', at most 50 characters");

        int shards = reader.Read("number-of-shards", (c, p) => c.GetInt(p), defaults.NumberOfShards, n => n is >= 1 and <= 100_000, "must be between 1 and 100000");

        Uri? advertise = null;
        string advertiseText = reader.Read("advertise-url", (c, p) => c.GetString(p), "");
        if (advertiseText.Length == 0)
        {
            reader.Problem("advertise-url", "is required when the cluster is enabled (the http://host:port other nodes use to reach this node)");
        }
        else if (HttpUrl(advertiseText) is { } uri)
        {
            advertise = uri;
        }
        else
        {
            reader.Problem("advertise-url", $"\"{advertiseText}\" is not an absolute http:// URL with a host (e.g. http://10.0.0.5:9090)");
        }

        IReadOnlyList<string> internalUrls = reader.Read("internal-urls", (c, p) => c.GetStringList(p), defaults.InternalUrls);
        foreach (string url in internalUrls)
        {
            if (HttpUrl(url) is null)
            {
                reader.Problem("internal-urls", $"\"{url}\" is not an absolute http:// URL");
            }
        }

        if (advertise is { Port: 0 } && (internalUrls.Count > 0 || !System.Net.IPAddress.TryParse(advertise.Host.Trim('[', ']'), out _)))
        {
            // Port 0 means "bind any free port and advertise it": only meaningful when the internal listener binds
            // exactly the advertised address, and Kestrel binds port 0 only on an IP address (not a host name).
            reader.Problem("advertise-url", $"\"{advertiseText}\": port 0 (any free port) needs an IP address as host and internal-urls = []");
        }

        string secret = reader.Read("secret", (c, p) => c.GetString(p), "");
        if (secret.Length < 32)
        {
            reader.Problem("secret", $"must be at least 32 characters (has {secret.Length}); the same on every node");
        }

        TimeSpan heartbeat = reader.Read("heartbeat-interval", (c, p) => c.GetDuration(p), defaults.HeartbeatInterval, d => IsFinite(d) && d > TimeSpan.Zero, "must be a finite duration greater than zero");
        TimeSpan failure = reader.Read("failure-timeout", (c, p) => c.GetDuration(p), defaults.FailureTimeout, IsFinite, "must be a finite duration");
        TimeSpan lease = reader.Read("lease-duration", (c, p) => c.GetDuration(p), defaults.LeaseDuration, IsFinite, "must be a finite duration");
        TimeSpan margin = reader.Read("fencing-margin", (c, p) => c.GetDuration(p), defaults.FencingMargin, d => IsFinite(d) && d > TimeSpan.Zero, "must be a finite duration greater than zero");
        TimeSpan handoffTimeout = reader.Read("handoff-timeout", (c, p) => c.GetDuration(p), defaults.HandoffTimeout, d => IsFinite(d) && d >= TimeSpan.Zero, "must be a finite duration (0 = do not wait)");
        int handoffBuffer = reader.Read("handoff-buffer", (c, p) => c.GetInt(p), defaults.HandoffBuffer, n => n is >= 0 and <= 1_000_000, "must be between 0 and 1000000");
        int rebalanceBatch = reader.Read("rebalance-batch", (c, p) => c.GetInt(p), defaults.RebalanceBatch, n => n is >= 1 and <= 100_000, "must be between 1 and 100000");
        TimeSpan replayWindow = reader.Read("replay-window", (c, p) => c.GetDuration(p), defaults.ReplayWindow, d => IsFinite(d) && d > TimeSpan.Zero && d <= TimeSpan.FromHours(1), "must be a duration greater than zero and at most 1h");
        TimeSpan connectTimeout = reader.Read("forward-connect-timeout", (c, p) => c.GetDuration(p), defaults.ForwardConnectTimeout, d => IsFinite(d) && d > TimeSpan.Zero, "must be a finite duration greater than zero");
        bool readyDuringOutage = reader.Read("ready-during-database-outage", (c, p) => c.GetBoolean(p), defaults.ReadyDuringDatabaseOutage);

        // Relations between keys: only checked when both sides are valid, so one bad value gives one problem.
        if (IsFinite(failure) && failure < heartbeat * 2)
        {
            reader.Problem("failure-timeout", $"must be at least twice heartbeat-interval ({Format(heartbeat * 2)}), or one late heartbeat marks a live node down");
        }

        if (IsFinite(lease) && lease <= heartbeat + margin)
        {
            reader.Problem("lease-duration", $"must exceed heartbeat-interval + fencing-margin ({Format(heartbeat + margin)}), or a node fences itself between two renewals");
        }

        var options = new ClusterOptions
        {
            Enabled = true,
            NodeId = nodeId,
            ConnectionString = connectionString,
            Schema = schema,
            NumberOfShards = shards,
            AdvertiseUrl = advertise,
            InternalUrls = internalUrls,
            Secret = secret,
            HeartbeatInterval = heartbeat,
            FailureTimeout = failure,
            LeaseDuration = lease,
            FencingMargin = margin,
            HandoffTimeout = handoffTimeout,
            HandoffBuffer = handoffBuffer,
            RebalanceBatch = rebalanceBatch,
            ReplayWindow = replayWindow,
            ForwardConnectTimeout = connectTimeout,
            ReadyDuringDatabaseOutage = readyDuringOutage,
        };
        return (options, reader.Problems);
    }

    /// <summary>True when <paramref name="schema"/> can be used as the cluster's schema (and, suffixed, as its NOTIFY channel).</summary>
    /// <param name="schema">A candidate schema name.</param>
    public static bool IsSchemaName(string schema) => schema is not null && SchemaName().IsMatch(schema);

    /// <summary><c>&lt;host&gt;-&lt;pid&gt;-&lt;6 random hex&gt;</c>: unique enough that two processes never collide, readable in logs.</summary>
    internal static string GeneratedNodeId()
    {
        string host = Environment.MachineName;
        if (string.IsNullOrWhiteSpace(host))
        {
            host = "node";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{host}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
    }

    private static Uri? HttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme == Uri.UriSchemeHttp && uri.Host.Length > 0 ? uri : null;

    private static bool IsFinite(TimeSpan d) => d != Timeout.InfiniteTimeSpan && d >= TimeSpan.Zero && d <= TimeSpan.FromDays(1);

    private static string Format(TimeSpan d) => d.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,49}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();

    /// <summary>Reads keys of the section, turning every failure into a problem with path and origin.</summary>
    private sealed class Reader(Config config)
    {
        public List<ConfigProblem> Problems { get; } = [];

        public T Read<T>(string key, Func<Config, string, T> read, T fallback, Func<T, bool>? valid = null, string? rule = null)
        {
            string path = $"{Section}.{key}";
            if (!config.HasPath(path))
            {
                return fallback;
            }

            try
            {
                T value = read(config, path);
                if (valid is not null && !valid(value))
                {
                    Problem(key, rule ?? "is out of range");
                    return fallback;
                }

                return value;
            }
            catch (HoconException e)
            {
                Problems.Add(new ConfigProblem(path, e.Detail, e.Origin?.ToString() ?? ConfigProblem.OriginOf(config, path)));
                return fallback;
            }
        }

        public void RejectUnknownKeys()
        {
            if (config.Find(Section) is not HoconObject section)
            {
                return;
            }

            foreach (string key in section.Keys)
            {
                if (!KnownKeys.Contains(key))
                {
                    Problem(key, $"unknown key (known: {string.Join(", ", KnownKeys.Order(StringComparer.Ordinal))})");
                }
            }
        }

        public void Problem(string key, string message)
        {
            string path = $"{Section}.{key}";
            Problems.Add(new ConfigProblem(path, message, ConfigProblem.OriginOf(config, path)));
        }
    }
}
