namespace ActorHost.Gateway.Configuration;

/// <summary>The management listener: <c>actorhost.management</c>.</summary>
internal sealed record ManagementOptions
{
    /// <summary>Where the management listener binds (loopback by default).</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8558"];

    /// <summary>Bearer token for mutating endpoints; empty disables them (404).</summary>
    public string Token { get; init; } = "";

    /// <summary>How many events the <c>/events</c> ring keeps for resuming clients (<c>events-buffer</c>).</summary>
    public int EventsBuffer { get; init; } = 10_000;

    /// <summary>The sliding window of <c>/stats</c> rates and latency percentiles (<c>stats-window</c>).</summary>
    public TimeSpan StatsWindow { get; init; } = TimeSpan.FromSeconds(60);
}
