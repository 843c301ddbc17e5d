namespace ActorHost.Actors.Tests;

public sealed class IncarnationTests : TestKit.TestKit
{
    [Fact]
    public async Task A_handle_from_an_ended_incarnation_throws_StaleIncarnationException()
    {
        var actor = ActorOf(Props.Create<HandleOwner>(), "owner");
        var handle = await actor.Ask<IncarnationHandle<List<int>>>("handle", DefaultTimeout);
        handle.Value.Add(1);
        Assert.Equal(1, handle.Incarnation);

        actor.Tell(new Boom(new InvalidOperationException()));
        ExpectRestart(actor);

        Assert.True(handle.IsStale);
        Assert.False(handle.TryGetValue(out _));
        var e = Assert.Throws<StaleIncarnationException>(() => handle.Value);
        Assert.Contains("stale incarnation", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.Incarnation);
        Assert.Contains("current incarnation: 2", e.Message, StringComparison.Ordinal);

        var fresh = await actor.Ask<IncarnationHandle<List<int>>>("handle", DefaultTimeout);
        Assert.Empty(fresh.Value);
        Assert.Equal(2, fresh.Incarnation);
    }

    [Fact]
    public async Task A_context_captured_by_an_ended_incarnation_throws()
    {
        var actor = ActorOf(Props.Create<HandleOwner>(), "owner");
        var context = await actor.Ask<IActorContext>("context", DefaultTimeout);
        Assert.False(context.IsStale);
        Assert.True(await actor.GracefulStop(DefaultTimeout));
        Assert.True(context.IsStale);
        Assert.Equal(1, context.Incarnation);
        var e = Assert.Throws<StaleIncarnationException>(() => context.Self);
        Assert.Contains("stale incarnation", e.Message, StringComparison.Ordinal);
        Assert.Throws<StaleIncarnationException>(() => context.ActorOf(Props.Create<EchoActor>()));
        Assert.Throws<StaleIncarnationException>(() => context.Children);
    }

    [Fact]
    public async Task The_incarnation_token_is_cancelled_when_the_incarnation_ends()
    {
        var actor = ActorOf(Props.Create<HandleOwner>(), "owner");
        var token = await actor.Ask<CancellationToken>("token", DefaultTimeout);
        Assert.False(token.IsCancellationRequested);
        actor.Tell(new Boom(new InvalidOperationException()));
        ExpectRestart(actor);
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public async Task A_late_continuation_of_an_ended_incarnation_cannot_touch_the_new_instance()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new LateWriter(gate.Task, probe.Ref)), "late");
        actor.Tell("start");
        probe.ExpectMsg("started#1");

        // Stop while the turn awaits: the turn is abandoned.
        Sys.Stop(actor);
        ExpectStopped(actor);
        gate.SetResult();

        var error = probe.ExpectMsg<Exception>();
        Assert.IsType<StaleIncarnationException>(error);
        var abandoned = Events.Expect<AbandonedTurnCompleted>(e => e.Path == actor.Path);
        Assert.Equal(1, abandoned.Incarnation);
        Assert.IsType<StaleIncarnationException>(abandoned.Exception);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_context_kept_after_its_incarnation_ended_does_not_keep_the_old_instance_alive()
    {
        var actor = ActorOf(Props.Create<InstanceReporter>(), "reporter");
        var (context, oldInstance) = await actor.Ask<(IActorContext, WeakReference)>("report", DefaultTimeout);

        actor.Tell(new Boom(new InvalidOperationException()));
        ExpectRestart(actor);

        // The stale context is still held (as a handle, a captured context or a late continuation would hold
        // it); the instance it served, and everything that instance refers to, must be garbage all the same.
        Assert.True(context.IsStale);
        Assert.True(await CollectedAsync(oldInstance));
        GC.KeepAlive(context);
    }

    [Fact]
    public async Task A_late_continuation_of_an_abandoned_turn_is_told_the_actor_is_being_replaced_not_that_it_is_stopped()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stale = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var decide = new ManualResetEventSlim();
        var parent = ActorOf(Props.Create(() => new SlowDecider(Props.Create(() => new Stuck(gate.Task, started, stale)), decide)), "parent");
        var child = await parent.Ask<IActorRef>("create", DefaultTimeout);
        child.Tell("hang");
        CancellationToken incarnation = await started.Task.Guard();

        // The parent fails the stuck child and then holds its own turn, so no directive is applied yet.
        parent.Tell("fail-child");
        Assert.True(incarnation.WaitHandle.WaitOne(TaskGuard.Bound), "the child's turn was never abandoned");
        gate.SetResult();
        Exception e = await stale.Task.Guard();
        decide.Set();

        var staleError = Assert.IsType<StaleIncarnationException>(e);
        Assert.Contains("its turn was abandoned; the actor is being restarted or stopped by its supervisor", staleError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("the actor is stopped", staleError.Message, StringComparison.Ordinal);
    }

    /// <summary>Collects until the object is gone (a thread may hold it briefly on its stack); a leak keeps it until the guard.</summary>
    private async Task<bool> CollectedAsync(WeakReference reference)
    {
        using var guard = new CancellationTokenSource(DefaultTimeout);
        while (reference.IsAlive && !guard.IsCancellationRequested)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Yield();
        }

        return !reference.IsAlive;
    }

    private sealed class InstanceReporter : ReceiveActor
    {
        public InstanceReporter()
        {
            Receive<string>(s => s == "report", _ => Sender.Tell((Context, new WeakReference(this))));
            Receive<Boom>(b => throw b.Exception);
        }
    }

    private sealed class HandleOwner : ReceiveActor
    {
        private readonly List<int> _state = [];

        public HandleOwner()
        {
            Receive<string>(s => s == "handle", _ => Sender.Tell(Context.Bind(_state)));
            Receive<string>(s => s == "context", _ => Sender.Tell(Context));
            Receive<string>(s => s == "token", _ => Sender.Tell(Context.IncarnationToken));
            Receive<Boom>(b => throw b.Exception);
        }
    }

    private sealed class LateWriter : ReceiveActor
    {
        public LateWriter(Task gate, IActorRef probe)
        {
            ReceiveAsync<string>(async _ =>
            {
                probe.Tell($"started#{Context.Incarnation}");
                await gate;
                try
                {
                    GC.KeepAlive(Context.Sender); // any use of the retired context
                }
                catch (StaleIncarnationException e)
                {
                    probe.Tell(e);
                    throw;
                }
            });
        }
    }

    /// <summary>Makes a child; on "fail-child" fails it and then blocks its own turn until the test lets it go.</summary>
    private sealed class SlowDecider : ReceiveActor
    {
        public SlowDecider(Props child, ManualResetEventSlim decide)
        {
            Receive<string>(s => s == "create", _ => Sender.Tell(Context.ActorOf(child, "c")));
            Receive<string>(s => s == "fail-child", _ =>
            {
                Context.Fail(Context.Child("c")!, new TimeoutException("stuck"));
                decide.Wait(TaskGuard.Bound);
            });
        }
    }

    /// <summary>Awaits a gate in its handler, then reports what using its context after that did.</summary>
    private sealed class Stuck : ReceiveActor
    {
        public Stuck(Task gate, TaskCompletionSource<CancellationToken> started, TaskCompletionSource<Exception> stale)
        {
            ReceiveAsync<string>(async _ =>
            {
                started.SetResult(Context.IncarnationToken);
                await gate;
                try
                {
                    GC.KeepAlive(Context.Self);
                    stale.TrySetException(new InvalidOperationException("the abandoned turn's context still worked"));
                }
                catch (StaleIncarnationException e)
                {
                    stale.TrySetResult(e);
                }
            });
        }
    }
}
