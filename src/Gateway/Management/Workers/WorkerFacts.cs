namespace ActorHost.Gateway.Management.Workers;

/// <summary>What the supervision events said last about one worker (by path).</summary>
internal sealed record WorkerFacts
{
    public required string Route { get; init; }

    public required string Path { get; init; }

    /// <summary>Worker-level incarnation (continues across the re-creation of an entity).</summary>
    public int Incarnation { get; init; }

    public FailureFacts? LastFailure { get; init; }

    /// <summary>Null while live; "stopped" or "passivated" once ended (shutdown counts as stopped).</summary>
    public string? Ended { get; init; }

    /// <summary>Restarts of this worker name seen in events (across entity re-creations).</summary>
    public int Restarts { get; init; }

    /// <summary>Failures of this worker name seen in events (across entity re-creations).</summary>
    public int Failures { get; init; }
}

/// <summary>A worker's last failure.</summary>
/// <param name="Type">Full exception type name.</param>
/// <param name="Message">Exception message.</param>
/// <param name="Time">When the supervisor decided.</param>
/// <param name="Directive">resume | restart | stop | escalate.</param>
internal sealed record FailureFacts(string Type, string Message, DateTimeOffset Time, string Directive);
