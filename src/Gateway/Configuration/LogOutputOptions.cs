using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Configuration;

/// <summary>How the console log is written: <c>actorhost.logging</c>.</summary>
internal sealed record LogOutputOptions
{
    /// <summary>Plain text or one JSON object per line.</summary>
    public LogFormat Format { get; init; } = LogFormat.Simple;

    /// <summary>The minimum level for categories that <c>Logging:LogLevel</c> does not name.</summary>
    public LogLevel Level { get; init; } = LogLevel.Information;

    /// <summary>Which failed requests' lines carry the full stack trace.</summary>
    public StackTraceMode StackTraces { get; init; } = StackTraceMode.Every;

    /// <summary>With <see cref="StackTraceMode.FirstPerWindow"/>: how long a shown stack trace counts as shown.</summary>
    public TimeSpan StackTraceWindow { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>How the request-finished lines of repeated failures show their stack traces.</summary>
internal enum StackTraceMode
{
    /// <summary>Every failed request's line carries its exception's full stack trace.</summary>
    Every,

    /// <summary>
    /// The first failure of a kind (route, exception type, throwing method) per window carries it; the others carry
    /// their own type and message and name the request whose line has it.
    /// </summary>
    FirstPerWindow,
}

/// <summary>Console log formats.</summary>
internal enum LogFormat
{
    /// <summary>ASP.NET's simple console formatter.</summary>
    Simple,

    /// <summary>ASP.NET's JSON console formatter (one object per line).</summary>
    Json,
}
