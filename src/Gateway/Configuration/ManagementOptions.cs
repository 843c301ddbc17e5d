namespace ActorHost.Gateway.Configuration;

/// <summary>The management listener: <c>actorhost.management</c>.</summary>
internal sealed record ManagementOptions
{
    /// <summary>Where the management listener binds (loopback by default).</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8558"];

    /// <summary>Bearer token for mutating endpoints; empty disables them (404).</summary>
    public string Token { get; init; } = "";
}
