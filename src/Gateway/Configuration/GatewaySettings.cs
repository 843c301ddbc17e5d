namespace ActorHost.Gateway.Configuration;

/// <summary>
/// Everything the host itself reads from configuration, validated and typed once at start. The routes
/// and supervision belong to the worker runtime and are read by it.
/// </summary>
internal sealed record GatewaySettings
{
    /// <summary><c>actorhost.gateway</c>.</summary>
    public GatewayOptions Gateway { get; init; } = new();

    /// <summary><c>actorhost.management</c>.</summary>
    public ManagementOptions Management { get; init; } = new();

    /// <summary><c>actorhost.logging</c>.</summary>
    public LogOutputOptions Logging { get; init; } = new();

    /// <summary><c>actorhost.telemetry.otlp</c>.</summary>
    public OtlpOptions Otlp { get; init; } = new();

    /// <summary><c>actorhost.root</c>.</summary>
    public RootOptions Root { get; init; } = new();
}
