namespace ActorHost.Gateway.Configuration;

/// <summary>What a failure escalated past the root guardian does: <c>actorhost.root</c>.</summary>
internal sealed record RootOptions
{
    /// <summary>Exit at once, or run the normal host stop first.</summary>
    public EscalationAction OnEscalation { get; init; } = EscalationAction.Exit;

    /// <summary>The process exit code after a root escalation.</summary>
    public int ExitCode { get; init; } = 70;
}

/// <summary>The root policy's choices.</summary>
internal enum EscalationAction
{
    /// <summary>Log Critical, let the failing request's 500 go out, exit the process at once.</summary>
    Exit,

    /// <summary>Log Critical, stop the host normally, then exit with the escalation code.</summary>
    Shutdown,
}
