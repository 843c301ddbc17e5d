namespace ActorHost.Actors;

/// <summary>
/// The actor behind <see cref="BackoffSupervisor.Props"/>: watches its single child and, when it must come back,
/// re-creates it after an exponentially growing delay scheduled on the system clock.
/// </summary>
internal sealed class BackoffSupervisorActor : UntypedActor
{
    private readonly BackoffOptions _options;
    private IActorRef? _child;
    private int _restartCount;
    private int _generation;
    private bool _stoppedForBackoff;
    private IDisposable? _resetTimer;
    private IDisposable? _startTimer;

    public BackoffSupervisorActor(BackoffOptions options) => _options = options;

    protected override void PreStart() => StartChild();

    protected override void PostStop()
    {
        _resetTimer?.Dispose();
        _startTimer?.Dispose();
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Decide);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Terminated terminated when ReferenceEquals(terminated.Actor, _child):
                OnChildTerminated();
                break;
            case StartChildTick:
                _startTimer = null;
                StartChild();
                break;
            case ResetTick reset:
                if (reset.Generation == _generation && _child is not null)
                {
                    _restartCount = 0;
                }

                break;
            case BackoffSupervisor.GetCurrentChild:
                Sender.Tell(new BackoffSupervisor.CurrentChild(_child));
                break;
            case BackoffSupervisor.GetRestartCount:
                Sender.Tell(new BackoffSupervisor.RestartCount(_restartCount));
                break;
            case Terminated:
                break;
            default:
                Forward(message);
                break;
        }
    }

    private Directive Decide(Exception cause)
    {
        var directive = _options.Decider.Decide(cause);
        if (_options.Trigger == BackoffTrigger.OnFailure && directive == Directive.Restart)
        {
            // Stop now, come back after the backoff delay (OnChildTerminated).
            _stoppedForBackoff = true;
            return Directive.Stop;
        }

        if (_options.Trigger == BackoffTrigger.OnStop && directive == Directive.Stop)
        {
            _stoppedForBackoff = true;
        }

        return directive;
    }

    private void Forward(object message)
    {
        if (_child is null)
        {
            Context.System.DeadLetters.Tell(message, Sender);
            return;
        }

        try
        {
            _child.Tell(message, Sender);
        }
        catch (MailboxFullException e)
        {
            Sender.Tell(new Status.Failure(e));
        }
    }

    private void StartChild()
    {
        _generation++;
        _child = Context.Watch(Context.ActorOf(_options.ChildProps, _options.ChildName));
        _resetTimer?.Dispose();
        _resetTimer = Context.System.Scheduler.ScheduleTellOnce(_options.ResetBackoffAfter ?? _options.MinBackoff, Self, new ResetTick(_generation));
    }

    private void OnChildTerminated()
    {
        _child = null;
        _resetTimer?.Dispose();
        _resetTimer = null;
        var backoff = _stoppedForBackoff || _options.Trigger == BackoffTrigger.OnStop;
        _stoppedForBackoff = false;
        if (!backoff)
        {
            // OnFailure: the child stopped for another reason (it stopped itself, or the decider said Stop).
            Context.Stop(Self);
            return;
        }

        if (_options.MaxNrOfRetries >= 0 && _restartCount >= _options.MaxNrOfRetries)
        {
            if (Context.System.EventStream.HasSubscribers)
            {
                var childPath = Self.Path.Child(_options.ChildName);
                Context.System.EventStream.Publish(new RetriesExhausted(childPath, 0, new InvalidOperationException($"Backoff supervisor {Self.Path} gave up after {_restartCount} re-creations."), _options.MaxNrOfRetries, null) { Timestamp = Context.System.TimeProvider.GetUtcNow() });
            }

            Context.Stop(Self);
            return;
        }

        var delay = BackoffSupervisor.CalculateDelay(_restartCount, _options.MinBackoff, _options.MaxBackoff, _options.RandomFactor, _options.Random);
        _restartCount++;
        _startTimer = Context.System.Scheduler.ScheduleTellOnce(delay, Self, StartChildTick.Instance);
    }

    private sealed class StartChildTick
    {
        public static readonly StartChildTick Instance = new();
    }

    private sealed record ResetTick(int Generation);
}
