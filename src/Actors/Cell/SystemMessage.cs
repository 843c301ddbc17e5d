namespace ActorHost.Actors;

/// <summary>
/// A message for the kernel itself (lifecycle, supervision, death watch, async continuations). System messages
/// have their own queue and are processed before and between user messages, even while user messages are
/// suspended (failed, awaiting an async receive, restarting). Each instance is sent once: it is its own queue node.
/// </summary>
internal abstract class SystemMessage
{
    /// <summary>Intrusive link for the system-message stack.</summary>
    public SystemMessage? Next;
}

/// <summary>Build the first instance.</summary>
internal sealed class CreateMessage : SystemMessage;

/// <summary>Restart with <see cref="Cause"/> (sent by the supervisor).</summary>
internal sealed class RecreateMessage(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

/// <summary>Stop processing user messages (an ancestor failed); counted.</summary>
internal sealed class SuspendMessage : SystemMessage;

/// <summary>Undo one <see cref="SuspendMessage"/>; with a cause, also clears this actor's own failure (Resume directive).</summary>
internal sealed class ResumeMessage(Exception? causedByFailure) : SystemMessage
{
    public Exception? CausedByFailure { get; } = causedByFailure;
}

/// <summary>Stop.</summary>
internal sealed class TerminateMessage : SystemMessage;

/// <summary>Start (or stop) watching: sent to the watchee.</summary>
internal sealed class WatchMessage(IInternalActorRef watcher, bool watch) : SystemMessage
{
    public IInternalActorRef Watcher { get; } = watcher;

    public bool IsWatch { get; } = watch;
}

/// <summary>Sent to each watcher when <see cref="Actor"/> has terminated.</summary>
internal sealed class DeathWatchNotification(IInternalActorRef actor) : SystemMessage
{
    public IInternalActorRef Actor { get; } = actor;
}

/// <summary>Sent to the parent when its child has terminated (frees the child's name).</summary>
internal sealed class ChildTerminatedMessage(ActorCell child) : SystemMessage
{
    public ActorCell Child { get; } = child;
}

/// <summary>Sent by a failed child to its parent: the parent's strategy decides.</summary>
internal sealed class FailedMessage(ActorCell child, Exception cause, int incarnation, int restartOrdersSeen, object? message, IActorRef? sender, ActorPath origin, bool instanceAbandoned)
    : SystemMessage
{
    public ActorCell Child { get; } = child;

    public Exception Cause { get; } = cause;

    public int Incarnation { get; } = incarnation;

    /// <summary>How many restart orders of its parent the child had processed when it failed (see <see cref="CellExtras.RestartOrders"/>).</summary>
    public int RestartOrdersSeen { get; } = restartOrdersSeen;

    /// <summary>The message being processed when the child failed (not reprocessed).</summary>
    public object? Message { get; } = message;

    /// <summary>Its sender (an Ask promise is failed with the decision).</summary>
    public IActorRef? Sender { get; } = sender;

    /// <summary>Where the exception originally happened (differs from Child after escalations).</summary>
    public ActorPath Origin { get; } = origin;

    /// <summary>An async turn was abandoned: the instance cannot be resumed, Resume becomes Restart.</summary>
    public bool InstanceAbandoned { get; } = instanceAbandoned;
}

/// <summary>The parent declares this actor failed (<see cref="IActorContext.Fail"/>).</summary>
internal sealed class FailRequestMessage(Exception exception) : SystemMessage
{
    public Exception Exception { get; } = exception;
}

/// <summary>A continuation of an async receive, to run on the actor.</summary>
internal sealed class ContinuationMessage(IncarnationContext context, SendOrPostCallback callback, object? state) : SystemMessage
{
    public IncarnationContext Context { get; } = context;

    public SendOrPostCallback Callback { get; } = callback;

    public object? State { get; } = state;
}
