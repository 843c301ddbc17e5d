namespace ActorHost.Actors;

/// <summary>
/// An async receive in flight: remembers its message and sender (restored for continuations, handed to the
/// supervisor on failure). When its task completes it sends itself to the cell as a system message.
/// </summary>
internal sealed class AsyncTurn : SystemMessage
{
    private readonly ActorCell _cell;
    private int _signalled;

    public AsyncTurn(ActorCell cell, IncarnationContext context, Task task, object? message, IActorRef? sender)
    {
        _cell = cell;
        Context = context;
        Task = task;
        Message = message;
        Sender = sender;
    }

    public IncarnationContext Context { get; }

    public Task Task { get; }

    public object? Message { get; }

    public IActorRef? Sender { get; }

    public void Start() => Task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnCompleted);

    private void OnCompleted()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _cell.SendSystem(this);
        }
    }
}
