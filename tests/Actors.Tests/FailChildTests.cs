namespace ActorHost.Actors.Tests;

public sealed class FailChildTests : TestKit.TestKit
{
    [Fact]
    public async Task Fail_abandons_a_hung_async_receive_and_the_decider_runs_on_the_exception()
    {
        var hang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var supervisor = ActorOf(
            Props.Create(() => new Supervisor(Props.Create(() => new Hanger(hang.Task, probe.Ref))))
                .WithSupervisorStrategy(new OneForOneStrategy(e => e is TimeoutException ? Directive.Restart : Directive.Stop)),
            "route");
        var worker = await supervisor.Ask<IActorRef>("worker", DefaultTimeout);

        var hungAsk = worker.Ask<string>("hang", TimeSpan.FromMinutes(10));
        var handle = probe.ExpectMsg<IncarnationHandle<string>>();
        var queued = worker.Ask<string>("after", TimeSpan.FromMinutes(10));

        var stuck = new TimeoutException("handler stuck");
        supervisor.Tell(new FailWorker(stuck));

        var askError = await Assert.ThrowsAsync<AskFailedException>(() => hungAsk.Guard());
        Assert.Same(stuck, askError.InnerException);
        Assert.Equal(Directive.Restart, askError.Directive);
        Assert.Equal(2, ExpectRestart(worker).Incarnation);
        Assert.True(handle.IsStale);

        // Queued messages are served by the fresh instance.
        Assert.Equal("after#2", await queued.Guard());

        // The hung turn finally completes: it runs detached, anything it tries is stale, its outcome is reported.
        hang.SetResult();
        Assert.IsType<StaleIncarnationException>(probe.ExpectMsg<Exception>());
        var abandoned = Events.Expect<AbandonedTurnCompleted>();
        Assert.Equal(1, abandoned.Incarnation);
        Assert.Equal("after#2", await worker.Ask<string>("after", DefaultTimeout));
    }

    [Fact]
    public async Task Resume_for_an_abandoned_turn_is_applied_as_restart()
    {
        var hang = new TaskCompletionSource();
        var probe = CreateTestProbe();
        var supervisor = ActorOf(
            Props.Create(() => new Supervisor(Props.Create(() => new Hanger(hang.Task, probe.Ref))))
                .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Resume)),
            "route");
        var worker = await supervisor.Ask<IActorRef>("worker", DefaultTimeout);
        worker.Tell("hang");
        probe.ExpectMsg<IncarnationHandle<string>>();
        supervisor.Tell(new FailWorker(new TimeoutException()));
        ExpectFailure(worker, Directive.Restart);
        ExpectRestart(worker);
    }

    [Fact]
    public async Task Fail_of_an_idle_child_is_an_ordinary_failure()
    {
        var probe = CreateTestProbe();
        var supervisor = ActorOf(
            Props.Create(() => new Supervisor(Props.Create(() => new Hanger(Task.CompletedTask, probe.Ref))))
                .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Resume)),
            "route");
        var worker = await supervisor.Ask<IActorRef>("worker", DefaultTimeout);
        supervisor.Tell(new FailWorker(new InvalidOperationException("idle")));
        Assert.Equal("idle", ExpectFailure(worker, Directive.Resume).Exception.Message);
        Events.ExpectNone<ActorRestarted>();
    }

    [Fact]
    public void Fail_of_a_non_child_is_rejected()
    {
        var probe = CreateTestProbe();
        var other = ActorOf(Props.Create<EchoActor>(), "other");
        var supervisor = ActorOf(Props.Create(() => new Supervisor(Props.Create<EchoActor>())), "route");
        supervisor.Tell(new FailOther(other), probe.Ref);
        Assert.IsType<ArgumentException>(probe.ExpectMsg<Exception>());
    }

    private sealed record FailWorker(Exception Exception);

    private sealed record FailOther(IActorRef Target);

    private sealed class Supervisor : ReceiveActor
    {
        public Supervisor(Props worker)
        {
            var child = Context.ActorOf(worker, "worker");
            Receive<string>(s => s == "worker", _ => Sender.Tell(child));
            Receive<FailWorker>(f => Context.Fail(child, f.Exception));
            Receive<FailOther>(f =>
            {
                try
                {
                    Context.Fail(f.Target, new InvalidOperationException());
                }
                catch (ArgumentException e)
                {
                    Sender.Tell(e);
                }
            });
        }
    }

    private sealed class Hanger : ReceiveActor
    {
        public Hanger(Task hang, IActorRef probe)
        {
            ReceiveAsync<string>(s => s == "hang", async _ =>
            {
                var handle = Context.Bind("response");
                probe.Tell(handle);
                await hang;
                try
                {
                    GC.KeepAlive(handle.Value);
                }
                catch (StaleIncarnationException e)
                {
                    probe.Tell(e);
                    throw;
                }
            });
            Receive<string>(s => Sender.Tell($"{s}#{Context.Incarnation}"));
        }
    }
}
