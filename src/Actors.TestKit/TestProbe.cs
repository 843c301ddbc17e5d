using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace ActorHost.Actors.TestKit;

/// <summary>
/// A real actor (under <c>/system</c>) that records what it receives, with Akka.TestKit-style expectations.
/// Waits use real time (they wait for other threads), bounded by the timeouts; no expectation sleeps except
/// <see cref="ExpectNoMsg(TimeSpan?)"/>, whose contract is to wait. Failures throw xunit assertion exceptions.
/// Sync methods block the calling thread; the *Async variants do not.
/// </summary>
#pragma warning disable CA1001 // The SemaphoreSlim never allocates a wait handle (AvailableWaitHandle is not used): nothing to dispose.
public sealed class TestProbe
#pragma warning restore CA1001
{
    private readonly ConcurrentQueue<(object Message, IActorRef? Sender)> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly TimeSpan _defaultTimeout;
    private DateTime? _withinDeadline;
    private IActorRef? _lastSender;

    internal TestProbe(ActorSystem system, string? name, TimeSpan defaultTimeout)
    {
        System = system;
        _defaultTimeout = defaultTimeout;
        Ref = system.SystemActorOf(Props.Create(() => new ProbeActor(this)), name);
    }

    /// <summary>The probe's actor; use it as a target or as the sender.</summary>
    public IActorRef Ref { get; }

    /// <summary>The system the probe lives in.</summary>
    public ActorSystem System { get; }

    /// <summary>The sender of the last message taken by an expectation (<see cref="ActorSystem.DeadLetters"/> if none).</summary>
    public IActorRef LastSender => _lastSender ?? System.DeadLetters;

    /// <summary>Default for expectations without an explicit timeout; inside <see cref="Within(TimeSpan, Action)"/>, the time left.</summary>
    public TimeSpan RemainingOrDefault
        => _withinDeadline is { } deadline ? Max(deadline - DateTime.UtcNow, TimeSpan.Zero) : _defaultTimeout;

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with the probe as sender.</summary>
    public void Send(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, Ref);
    }

    /// <summary>Replies to <see cref="LastSender"/> with the probe as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, Ref);

    /// <summary>Forwards <paramref name="message"/> to <paramref name="target"/> keeping <see cref="LastSender"/> as its sender.</summary>
    public void Forward(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, LastSender);
    }

    /// <summary>Watches <paramref name="target"/>; <see cref="ExpectTerminated"/> then sees it stop.</summary>
    public IActorRef Watch(IActorRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Ref.Tell(new ProbeActor.WatchCommand(target, Watch: true));
        return target;
    }

    /// <summary>Stops watching <paramref name="target"/>.</summary>
    public IActorRef Unwatch(IActorRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Ref.Tell(new ProbeActor.WatchCommand(target, Watch: false));
        return target;
    }

    /// <summary>Expects the next message to be a <typeparamref name="T"/> (optionally matching <paramref name="predicate"/>).</summary>
    public T ExpectMsg<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null)
        => Run(ExpectMsgCore(predicate, timeout, sync: true));

    /// <summary>Expects the next message to be a <typeparamref name="T"/> equal to <paramref name="expected"/>.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null)
        => Run(ExpectMsgCore(expected, timeout, sync: true));

    /// <summary>Async <see cref="ExpectMsg{T}(Func{T, bool}?, TimeSpan?)"/>.</summary>
    public Task<T> ExpectMsgAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null)
        => ExpectMsgCore(predicate, timeout, sync: false);

    /// <summary>Async <see cref="ExpectMsg{T}(T, TimeSpan?)"/>.</summary>
    public Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null)
        => ExpectMsgCore(expected, timeout, sync: false);

    private async Task<T> ExpectMsgCore<T>(Func<T, bool>? predicate, TimeSpan? timeout, bool sync)
    {
        var (message, _) = await ReceiveCore(timeout, $"a message of type {typeof(T).Name}", sync).ConfigureAwait(false);
        if (message is not T typed)
        {
            Assert.Fail($"Expected a message of type {typeof(T).FullName} but got {Describe(message)}.");
            throw new UnreachableException();
        }

        if (predicate is not null && !predicate(typed))
        {
            Assert.Fail($"The message {Describe(message)} does not match the expectation.");
        }

        return typed;
    }

    private async Task<T> ExpectMsgCore<T>(T expected, TimeSpan? timeout, bool sync)
    {
        var (message, _) = await ReceiveCore(timeout, $"the message {expected}", sync).ConfigureAwait(false);
        if (message is not T typed || !EqualityComparer<T>.Default.Equals(typed, expected))
        {
            Assert.Fail($"Expected {Describe(expected)} but got {Describe(message)}.");
            throw new UnreachableException();
        }

        return typed;
    }

    /// <summary>Takes the next message of any type.</summary>
    public object ReceiveOne(TimeSpan? timeout = null) => Run(ReceiveCore(timeout, "a message", sync: true)).Message;

    /// <summary>
    /// Asserts that no message arrives for <paramref name="duration"/> (default 100 ms). This necessarily waits
    /// that long: keep it short, and prefer a positive expectation where one exists.
    /// </summary>
    public void ExpectNoMsg(TimeSpan? duration = null) => Run(ExpectNoMsgCore(duration, sync: true));

    /// <summary>Async <see cref="ExpectNoMsg"/>.</summary>
    public Task ExpectNoMsgAsync(TimeSpan? duration = null) => ExpectNoMsgCore(duration, sync: false);

    private async Task ExpectNoMsgCore(TimeSpan? duration, bool sync)
    {
        var wait = duration ?? TimeSpan.FromMilliseconds(100);
        if (sync ? _available.Wait(wait) : await _available.WaitAsync(wait).ConfigureAwait(false))
        {
            _queue.TryDequeue(out var item);
            Assert.Fail($"Expected no message for {wait.TotalMilliseconds} ms but got {Describe(item.Message)}.");
        }
    }

    /// <summary>Expects <see cref="Terminated"/> for <paramref name="target"/> (watch it first with <see cref="Watch"/>).</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Run(ExpectMsgCore<Terminated>(t => t.Actor.Path == target.Path, timeout, sync: true));
    }

    /// <summary>Async <see cref="ExpectTerminated"/>.</summary>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ExpectMsgAsync<Terminated>(t => t.Actor.Path == target.Path, timeout);
    }

    /// <summary>
    /// Skips messages until one of type <typeparamref name="T"/> satisfies <paramref name="isTheOne"/>; returns it.
    /// Fails after <paramref name="timeout"/>, listing the messages it skipped.
    /// </summary>
    public T FishForMessage<T>(Func<T, bool> isTheOne, TimeSpan? timeout = null) => Run(FishCore(isTheOne, timeout, sync: true));

    /// <summary>Async <see cref="FishForMessage{T}"/>.</summary>
    public Task<T> FishForMessageAsync<T>(Func<T, bool> isTheOne, TimeSpan? timeout = null) => FishCore(isTheOne, timeout, sync: false);

    private async Task<T> FishCore<T>(Func<T, bool> isTheOne, TimeSpan? timeout, bool sync)
    {
        ArgumentNullException.ThrowIfNull(isTheOne);
        var wait = timeout ?? RemainingOrDefault;
        var deadline = DateTime.UtcNow + wait;
        var skipped = new List<string>();
        while (true)
        {
            var left = Max(deadline - DateTime.UtcNow, TimeSpan.Zero);
            var (received, message) = await TryReceiveCore(left, sync).ConfigureAwait(false);
            if (!received)
            {
                // The timeout the caller gave (not what was left of it for the last wait), and what came instead.
                Assert.Fail($"Timeout ({wait.TotalMilliseconds:F0} ms) while fishing for a matching {typeof(T).Name} at {Ref.Path}; skipped: {(skipped.Count == 0 ? "nothing" : string.Join(", ", skipped))}.");
            }

            if (message is T typed && isTheOne(typed))
            {
                return typed;
            }

            skipped.Add(Describe(message));
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/>, which must finish within <paramref name="max"/>; expectations inside
    /// default to the time left.
    /// </summary>
    public void Within(TimeSpan max, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Within(max, () =>
        {
            action();
            return true;
        });
    }

    /// <summary>As <see cref="Within(TimeSpan, Action)"/>, returning the action's result.</summary>
    public T Within<T>(TimeSpan max, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var started = Stopwatch.StartNew();
        var previous = _withinDeadline;
        _withinDeadline = DateTime.UtcNow + max;
        try
        {
            var result = action();
            if (started.Elapsed > max)
            {
                Assert.Fail($"The block took {started.Elapsed.TotalMilliseconds:F0} ms, more than the {max.TotalMilliseconds:F0} ms allowed.");
            }

            return result;
        }
        finally
        {
            _withinDeadline = previous;
        }
    }

    /// <summary>Async <see cref="Within(TimeSpan, Action)"/>.</summary>
    public async Task WithinAsync(TimeSpan max, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var started = Stopwatch.StartNew();
        var previous = _withinDeadline;
        _withinDeadline = DateTime.UtcNow + max;
        try
        {
            await action().ConfigureAwait(false);
            if (started.Elapsed > max)
            {
                Assert.Fail($"The block took {started.Elapsed.TotalMilliseconds:F0} ms, more than the {max.TotalMilliseconds:F0} ms allowed.");
            }
        }
        finally
        {
            _withinDeadline = previous;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"TestProbe({Ref.Path})";

    internal void Enqueue(object message, IActorRef? sender)
    {
        _queue.Enqueue((message, sender));
        _available.Release();
    }

    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Run(Task task) => task.GetAwaiter().GetResult();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Describe(object? message) => message is null ? "null" : $"{message.GetType().Name} {message}";

    // With sync = true every await below completes synchronously: the caller's thread blocks, no pool thread is needed.
    private async Task<(object Message, IActorRef? Sender)> ReceiveCore(TimeSpan? timeout, string what, bool sync)
    {
        var wait = timeout ?? RemainingOrDefault;
        var (received, message) = await TryReceiveCore(wait, sync).ConfigureAwait(false);
        if (!received)
        {
            Assert.Fail($"Timeout ({wait.TotalMilliseconds:F0} ms) while waiting for {what} at {Ref.Path}.");
        }

        return (message!, _lastSender);
    }

    private async Task<(bool Received, object? Message)> TryReceiveCore(TimeSpan wait, bool sync)
    {
        if (!(sync ? _available.Wait(wait) : await _available.WaitAsync(wait).ConfigureAwait(false)))
        {
            return (false, null);
        }

        _queue.TryDequeue(out var item);
        _lastSender = item.Sender;
        return (true, item.Message);
    }

    /// <summary>The probe's actor: records everything, including <see cref="Terminated"/>.</summary>
    private sealed class ProbeActor(TestProbe probe) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is WatchCommand command)
            {
                if (command.Watch)
                {
                    Context.Watch(command.Target);
                }
                else
                {
                    Context.Unwatch(command.Target);
                }

                return;
            }

            probe.Enqueue(message, Sender);
        }

        internal sealed record WatchCommand(IActorRef Target, bool Watch);
    }
}
