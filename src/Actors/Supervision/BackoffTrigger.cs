namespace ActorHost.Actors;

/// <summary>When a <see cref="BackoffSupervisor"/> re-creates its child after a delay.</summary>
public enum BackoffTrigger
{
    /// <summary>
    /// When the child fails and the options' decider says <see cref="Directive.Restart"/>: the child is stopped and
    /// re-created after the backoff delay. If the child stops for another reason, the backoff supervisor stops too.
    /// </summary>
    OnFailure,

    /// <summary>
    /// When the child stops (by itself, or because the decider said <see cref="Directive.Stop"/>). Failures the
    /// decider maps to Restart restart the child immediately, as ordinary supervision.
    /// </summary>
    OnStop,
}
