namespace ActorHost.Gateway.Configuration;

/// <summary>The HTTP listener that serves the routes: <c>actorhost.gateway</c>.</summary>
internal sealed record GatewayOptions
{
    /// <summary>Where Kestrel listens; <c>--urls</c> overrides it.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8080"];

    /// <summary>Bodies larger than this are answered 413 before any worker sees them.</summary>
    public long MaxRequestBodySize { get; init; } = 1024 * 1024;

    /// <summary>Sent as Retry-After (whole seconds) with every 503.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>When true, 500 problem responses carry the exception type, message and stack trace.</summary>
    public bool Development { get; init; }
}
