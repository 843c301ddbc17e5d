using System.Globalization;

namespace ActorHost.Actors;

/// <summary>
/// The temporary sender of an Ask: the first message told to it completes the task. It is also the task
/// source itself (one allocation), with the timeout timer and the cancellation registration.
/// </summary>
internal sealed class PromiseRef<T> : TaskCompletionSource<T>, IActorRef, IAskPromise, IAskTimeout
{
    private static long s_counter;

    private readonly IActorRef _target;
    private readonly TimeSpan _timeout;
    private ITimer? _timer;
    private CancellationTokenRegistration _registration;
    private ActorPath? _path;
    private long _deadline;

    public PromiseRef(IActorRef target, TimeSpan timeout)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _target = target;
        _timeout = timeout;
    }

    public ActorPath Path => _path ??= ActorPath.Root.Child("temp").Child("$ask" + Interlocked.Increment(ref s_counter).ToString(CultureInfo.InvariantCulture));

    public IAskTimeout? NextTimeout { get; set; }

    public long DeadlineTimestamp => _deadline;

    public bool IsDone => Task.IsCompleted;

    /// <summary>Arms the timeout and the cancellation; call once, before sending.</summary>
    public void Arm(TimeProvider time, AskTimeoutSweeper? sweeper, CancellationToken cancellationToken)
    {
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            if (sweeper is not null && ReferenceEquals(time, TimeProvider.System))
            {
                _deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(_timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
                sweeper.Add(this);
            }
            else
            {
                _timer = DetachedTimer.Create(time, static s => ((PromiseRef<T>)s!).OnTimeout(), this, _timeout, Timeout.InfiniteTimeSpan);
            }
        }

        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static (s, ct) => ((PromiseRef<T>)s!).OnCancelled(ct), this);
        }

        // The task may have completed while arming (a racing reply); make sure nothing stays armed.
        if (Task.IsCompleted)
        {
            Disarm();
        }
    }

    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var completed = message switch
        {
            Status.Failure failure when typeof(T) != typeof(Status.Failure) => TrySetException(failure.Cause),
            T typed => TrySetResult(typed),
            Status.Success { Value: T value } => TrySetResult(value),
            _ => TrySetException(new InvalidCastException(
                $"Ask to {_target.Path} expected a reply of type {typeof(T).FullName} but got {message.GetType().FullName}.")),
        };
        if (completed)
        {
            Disarm();
        }
    }

    public Task<TReply> Ask<TReply>(object message, TimeSpan timeout, CancellationToken cancellationToken = default)
        => System.Threading.Tasks.Task.FromException<TReply>(new DeadLetterException($"{Path} is a temporary Ask reference and cannot be asked."));

    public bool TryFail(Exception exception)
    {
        if (TrySetException(exception))
        {
            Disarm();
            return true;
        }

        return false;
    }

    public override string ToString() => $"Ask({_target.Path})";

    public void OnTimeout()
    {
        if (TrySetException(new AskTimeoutException($"Ask to {_target.Path} timed out after {_timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms without a reply.")))
        {
            Disarm();
        }
    }

    private void OnCancelled(CancellationToken token)
    {
        if (TrySetCanceled(token))
        {
            Disarm();
        }
    }

    private void Disarm()
    {
        _timer?.Dispose();
        _registration.Dispose();
    }
}
