using ActorHost.Hocon;
using ActorHost.Workers.Configuration;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Configuration;

/// <summary>
/// Binds <see cref="GatewaySettings"/> from the <c>actorhost</c> section: gateway, management, logging,
/// telemetry and root. Like the workers' binder it never stops at the first problem; every bad value is
/// returned with its path and file:line.
/// </summary>
internal sealed class GatewaySettingsBinder
{
    private readonly Config _config;
    private readonly List<ConfigProblem> _problems = [];

    private GatewaySettingsBinder(Config config) => _config = config;

    public static (GatewaySettings Settings, IReadOnlyList<ConfigProblem> Problems) Bind(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var binder = new GatewaySettingsBinder(config);
        GatewaySettings settings = binder.Bind();
        return (settings, binder._problems);
    }

    private GatewaySettings Bind()
    {
        var defaults = new GatewaySettings();
        return new GatewaySettings
        {
            Gateway = new GatewayOptions
            {
                Urls = Urls("actorhost.gateway.urls", defaults.Gateway.Urls),
                MaxRequestBodySize = Read("actorhost.gateway.max-request-body-size", (c, p) => c.GetByteSize(p), defaults.Gateway.MaxRequestBodySize, size => size >= 0, "must not be negative"),
                RetryAfter = Read("actorhost.gateway.retry-after", (c, p) => c.GetDuration(p), defaults.Gateway.RetryAfter,
                    d => d >= TimeSpan.Zero && d != Timeout.InfiniteTimeSpan && d <= TimeSpan.FromDays(1), "must be a finite duration of at most a day"),
                Development = Read("actorhost.gateway.development", (c, p) => c.GetBoolean(p), defaults.Gateway.Development),
            },
            Management = new ManagementOptions
            {
                Urls = Urls("actorhost.management.urls", defaults.Management.Urls),
                Token = Read("actorhost.management.token", (c, p) => c.GetString(p), defaults.Management.Token),
                EventsBuffer = Read("actorhost.management.events-buffer", (c, p) => c.GetInt(p), defaults.Management.EventsBuffer,
                    n => n is >= 16 and <= 1_000_000, "must be between 16 and 1000000"),
                StatsWindow = Read("actorhost.management.stats-window", (c, p) => c.GetDuration(p), defaults.Management.StatsWindow,
                    d => d >= TimeSpan.FromSeconds(1) && d <= TimeSpan.FromHours(1), "must be between 1s and 1h"),
            },
            Logging = new LogOutputOptions
            {
                Format = Word("actorhost.logging.format", defaults.Logging.Format, ("simple", LogFormat.Simple), ("json", LogFormat.Json)),
                Level = Word("actorhost.logging.level", defaults.Logging.Level,
                    ("Trace", LogLevel.Trace), ("Debug", LogLevel.Debug), ("Information", LogLevel.Information),
                    ("Warning", LogLevel.Warning), ("Error", LogLevel.Error), ("Critical", LogLevel.Critical), ("None", LogLevel.None)),
                StackTraces = Word("actorhost.logging.stack-traces", defaults.Logging.StackTraces,
                    ("every", StackTraceMode.Every), ("first-per-window", StackTraceMode.FirstPerWindow)),
                StackTraceWindow = Read("actorhost.logging.stack-trace-window", (c, p) => c.GetDuration(p), defaults.Logging.StackTraceWindow,
                    d => d > TimeSpan.Zero && d <= TimeSpan.FromDays(1), "must be a duration above 0 and at most a day"),
            },
            Otlp = new OtlpOptions
            {
                Enabled = Read("actorhost.telemetry.otlp.enabled", (c, p) => c.GetBoolean(p), defaults.Otlp.Enabled),
                Endpoint = Read("actorhost.telemetry.otlp.endpoint", (c, p) => new Uri(c.GetString(p), UriKind.RelativeOrAbsolute), defaults.Otlp.Endpoint,
                    uri => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps), "must be an absolute http:// or https:// address"),
                Protocol = Word("actorhost.telemetry.otlp.protocol", defaults.Otlp.Protocol, ("grpc", OtlpWireProtocol.Grpc), ("http/protobuf", OtlpWireProtocol.HttpProtobuf)),
            },
            Root = new RootOptions
            {
                OnEscalation = Word("actorhost.root.on-escalation", defaults.Root.OnEscalation, ("exit", EscalationAction.Exit), ("shutdown", EscalationAction.Shutdown)),
                ExitCode = Read("actorhost.root.exit-code", (c, p) => c.GetInt(p), defaults.Root.ExitCode, code => code is >= 1 and <= 255,
                    "must be between 1 and 255 (0 would report a failure as a clean stop)"),
            },
        };
    }

    private IReadOnlyList<string> Urls(string path, IReadOnlyList<string> fallback)
    {
        IReadOnlyList<string> urls = Read(path, (c, p) => c.GetStringList(p), fallback);
        if (urls.Count == 0)
        {
            Problem(path, "must list at least one address");
            return fallback;
        }

        foreach (string problem in ListenerAddresses.Problems(urls))
        {
            Problem(path, problem);
        }

        return urls;
    }

    private T Word<T>(string path, T fallback, params (string Word, T Value)[] choices)
    {
        string? word = Read<string?>(path, (c, p) => c.GetString(p), null);
        if (word is null)
        {
            return fallback;
        }

        foreach ((string candidate, T value) in choices)
        {
            if (string.Equals(candidate, word, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        Problem(path, $"\"{word}\" is not one of: {string.Join(", ", choices.Select(c => c.Word))}");
        return fallback;
    }

    private T Read<T>(string path, Func<Config, string, T> read, T fallback, Func<T, bool>? valid = null, string? rule = null)
    {
        if (!_config.HasPath(path))
        {
            return fallback;
        }

        try
        {
            T value = read(_config, path);
            if (valid is not null && !valid(value))
            {
                Problem(path, rule ?? "is out of range");
                return fallback;
            }

            return value;
        }
        catch (HoconException e)
        {
            _problems.Add(new ConfigProblem(path, e.Detail, e.Origin?.ToString() ?? ConfigProblem.OriginOf(_config, path)));
            return fallback;
        }
        catch (UriFormatException e)
        {
            Problem(path, e.Message);
            return fallback;
        }
    }

    private void Problem(string path, string message) => _problems.Add(new ConfigProblem(path, message, ConfigProblem.OriginOf(_config, path)));
}
