using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Configuration;

/// <summary>How the console log is written: <c>actorhost.logging</c>.</summary>
internal sealed record LogOutputOptions
{
    /// <summary>Plain text or one JSON object per line.</summary>
    public LogFormat Format { get; init; } = LogFormat.Simple;

    /// <summary>The minimum level for categories that <c>Logging:LogLevel</c> does not name.</summary>
    public LogLevel Level { get; init; } = LogLevel.Information;
}

/// <summary>Console log formats.</summary>
internal enum LogFormat
{
    /// <summary>ASP.NET's simple console formatter.</summary>
    Simple,

    /// <summary>ASP.NET's JSON console formatter (one object per line).</summary>
    Json,
}
