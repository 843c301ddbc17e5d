using Xunit;

namespace ActorHost.Actors.TestKit;

/// <summary>
/// An actor system for one test, with probes, event-stream assertions and (optionally) a manual clock. Use it as
/// a base class of an xunit test class (a fresh system per test) or as a field; disposing terminates the system.
/// </summary>
public class TestKit : IDisposable
{
    private bool _disposed;

    /// <summary>Creates a test system.</summary>
    /// <param name="settings">System settings; <see langword="null"/> = defaults.</param>
    /// <param name="clock">A manual clock; when given it replaces the settings' TimeProvider.</param>
    /// <param name="defaultTimeout">Default wait of expectations (a failure guard only; default 5 s).</param>
    public TestKit(ActorSystemSettings? settings = null, ManualTimeProvider? clock = null, TimeSpan? defaultTimeout = null)
    {
        settings ??= new ActorSystemSettings();
        if (clock is not null)
        {
            settings = new ActorSystemSettings
            {
                TimeProvider = clock,
                Throughput = settings.Throughput,
                DefaultMailbox = settings.DefaultMailbox,
                UserGuardianStrategy = settings.UserGuardianStrategy,
                TerminationTimeout = settings.TerminationTimeout,
                EventSubscriberCapacity = settings.EventSubscriberCapacity,
            };
        }

        Clock = clock;
        DefaultTimeout = defaultTimeout ?? TimeSpan.FromSeconds(5);
        Sys = ActorSystem.Create("test", settings);
        Events = new EventRecorder(Sys, DefaultTimeout);
    }

    /// <summary>The system under test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>The manual clock, if the kit was created with one.</summary>
    public ManualTimeProvider? Clock { get; }

    /// <summary>Everything published on the system's event stream since creation.</summary>
    public EventRecorder Events { get; }

    /// <summary>Default wait of expectations.</summary>
    public TimeSpan DefaultTimeout { get; }

    /// <summary>Creates a probe (an actor under /system).</summary>
    public TestProbe CreateTestProbe(string? name = null) => new(Sys, name, DefaultTimeout);

    /// <summary>Creates a top-level actor.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => Sys.ActorOf(props, name);

    /// <summary>
    /// Creates <paramref name="props"/> as the child of a fresh parent supervised by <paramref name="strategy"/>
    /// and returns the child. The parent forwards nothing; failures of the child go to the strategy.
    /// </summary>
    public IActorRef ChildActorOf(Props props, SupervisorStrategy strategy, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        ArgumentNullException.ThrowIfNull(strategy);
        var parent = Sys.ActorOf(Props.Create(() => new ChildParent()).WithSupervisorStrategy(strategy));
        return parent.Ask<IActorRef>(new ChildParent.Create(props, name), DefaultTimeout).GetAwaiter().GetResult();
    }

    /// <summary>Waits for the next <see cref="ActorRestarted"/> of <paramref name="actor"/>.</summary>
    public ActorRestarted ExpectRestart(IActorRef actor, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Events.Expect<ActorRestarted>(e => e.Path == actor.Path, timeout);
    }

    /// <summary>Waits for the next <see cref="ActorFailed"/> of <paramref name="actor"/> (optionally with <paramref name="directive"/>).</summary>
    public ActorFailed ExpectFailure(IActorRef actor, Directive? directive = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Events.Expect<ActorFailed>(e => e.Path == actor.Path && (directive is null || e.Directive == directive), timeout);
    }

    /// <summary>Waits for the <see cref="ActorStopped"/> of <paramref name="actor"/>.</summary>
    public ActorStopped ExpectStopped(IActorRef actor, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Events.Expect<ActorStopped>(e => e.Path == actor.Path, timeout);
    }

    /// <summary>Waits for the next <see cref="DeadLetter"/> matching <paramref name="match"/>.</summary>
    public DeadLetter ExpectDeadLetter(Func<DeadLetter, bool>? match = null, TimeSpan? timeout = null)
        => Events.Expect(match, timeout);

    /// <summary>Asserts that <paramref name="actor"/> restarts exactly <paramref name="count"/> times (waits for them, then briefly for extra ones).</summary>
    public void ExpectRestarts(IActorRef actor, int count, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Events.ExpectCount<ActorRestarted>(count, e => e.Path == actor.Path, timeout);
    }

    /// <summary>Waits (really) until <paramref name="condition"/> holds; a failure guard for state that has no event.</summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? timeout = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (!SpinWait.SpinUntil(condition, timeout ?? DefaultTimeout))
        {
            Assert.Fail(message ?? "Condition not met in time.");
        }
    }

    /// <summary>
    /// Terminates the system, waiting up to twice the default timeout. Fails the test (<see cref="Xunit.Sdk.FailException"/>)
    /// when the system does not terminate in that time or its termination times out
    /// (<see cref="ActorSystemSettings.TerminationTimeout"/>), naming the actors that did not stop: a hung system
    /// (blocked threads, live actors) must not outlive its test silently. A system the test had already terminated
    /// itself is not judged again.
    /// </summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Terminates the system; see <see cref="Dispose()"/>.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        try
        {
            var ownedByTest = Sys.WhenTerminated.IsCompleted;
            var wait = DefaultTimeout * 2;
            var termination = Sys.Terminate();
            if (ownedByTest)
            {
                return;
            }

            if (!termination.Wait(wait))
            {
                Assert.Fail($"The actor system did not terminate within {wait.TotalSeconds:0.###} s of the test kit's disposal (TerminationTimeout {Describe(Sys.Settings.TerminationTimeout)}). {StillAlive.Describe(Sys)}");
            }

            if (termination.Result.TimedOut)
            {
                Assert.Fail($"The actor system's termination timed out (TerminationTimeout {Describe(Sys.Settings.TerminationTimeout)}): it was declared terminated with actors still running. {StillAlive.Describe(Sys)}");
            }
        }
        finally
        {
            Events.Dispose();
        }
    }

    private static string Describe(TimeSpan timeout)
        => timeout == Timeout.InfiniteTimeSpan ? "infinite" : $"{timeout.TotalSeconds:0.###} s";

    /// <summary>The parent created by <see cref="ChildActorOf"/>.</summary>
    private sealed class ChildParent : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is Create create)
            {
                Sender.Tell(Context.ActorOf(create.Props, create.Name));
                return;
            }

            Unhandled(message);
        }

        internal sealed record Create(Props Props, string? Name);
    }
}
