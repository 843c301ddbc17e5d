using ActorHost.Actors.TestKit;

namespace ActorHost.Actors.Tests;

public sealed class AskTests : TestKit.TestKit
{
    // Long enough that a passing test proves the Ask did NOT wait for its timeout.
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    public AskTests()
        : base(clock: new ManualTimeProvider())
    {
    }

    [Fact]
    public async Task Ask_faults_at_once_with_the_original_exception_and_directive_when_the_target_fails()
    {
        var actor = ActorOf(Props.Create<CountingActor>(), "c");
        var original = new InvalidOperationException("broken");
        var e = await Assert.ThrowsAsync<AskFailedException>(() => actor.Ask<int>(new Boom(original), Long).Guard());
        Assert.Same(original, e.InnerException);
        Assert.Equal(Directive.Restart, e.Directive);
        Assert.Equal(actor.Path, e.Actor);
    }

    [Fact]
    public async Task Ask_to_a_stopped_actor_fails_at_once()
    {
        var actor = ActorOf(Props.Create<CountingActor>(), "c");
        Assert.True(await actor.GracefulStop(Long));
        await Assert.ThrowsAsync<ActorStoppedException>(() => actor.Ask<int>("x", Long).Guard());
    }

    [Fact]
    public async Task Asks_queued_behind_a_failure_that_stops_the_actor_fail_at_once()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = ChildActorOf(Props.Create(() => new GatedCounter(gate.Task)), SupervisorStrategy.StoppingStrategy);
        var hold = actor.Ask<string>("hold", Long);
        var failing = actor.Ask<int>(new Boom(new InvalidOperationException()), Long);
        var queued = actor.Ask<int>("q", Long);
        gate.SetResult();
        Assert.Equal("held", await hold.Guard());
        Assert.Equal(Directive.Stop, (await Assert.ThrowsAsync<AskFailedException>(() => failing.Guard())).Directive);
        await Assert.ThrowsAsync<ActorStoppedException>(() => queued.Guard());
    }

    [Fact]
    public async Task Ask_times_out_on_the_system_clock()
    {
        var silent = ActorOf(Props.Create<Silent>(), "silent");
        var ask = silent.Ask<int>("anything", TimeSpan.FromSeconds(3));
        Clock!.Advance(TimeSpan.FromSeconds(2));
        Assert.False(ask.IsCompleted);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var e = await Assert.ThrowsAsync<AskTimeoutException>(() => ask.Guard());
        Assert.Contains("/user/silent", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_is_cancelled_by_its_token()
    {
        var silent = ActorOf(Props.Create<Silent>(), "silent");
        using var cts = new CancellationTokenSource();
        var ask = silent.Ask<int>("anything", Long, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask.Guard());
    }

    [Fact]
    public async Task Ask_with_an_unhandled_message_fails_at_once()
    {
        var silent = ActorOf(Props.Create<Silent>(), "silent");
        await Assert.ThrowsAsync<UnhandledMessageException>(() => silent.Ask<int>(42, Long).Guard());
        Events.Expect<UnhandledMessage>(u => u.Message is 42);
    }

    [Fact]
    public async Task Ask_to_dead_letters_fails_at_once()
        => await Assert.ThrowsAsync<DeadLetterException>(() => Sys.DeadLetters.Ask<int>("x", Long).Guard());

    [Fact]
    public async Task Reply_of_the_wrong_type_fails_clearly()
    {
        var echo = ActorOf(Props.Create<EchoActor>(), "echo");
        var e = await Assert.ThrowsAsync<InvalidCastException>(() => echo.Ask<int>("text", Long).Guard());
        Assert.Contains("System.Int32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_failure_reply_faults_the_ask_with_its_cause()
    {
        var echo = ActorOf(Props.Create<EchoActor>(), "echo");
        var cause = new FormatException("nope");
        Assert.Same(cause, await Assert.ThrowsAsync<FormatException>(() => echo.Ask<string>(new Status.Failure(cause), Long).Guard()));
    }

    [Fact]
    public async Task Ask_of_a_failing_async_handler_faults_with_the_handler_exception()
    {
        var actor = ActorOf(Props.Create<AsyncFailer>(), "async");
        var e = await Assert.ThrowsAsync<AskFailedException>(() => actor.Ask<int>("go", Long).Guard());
        Assert.IsType<TimeoutException>(e.InnerException);
    }

    [Fact]
    public void Invalid_ask_timeout_is_rejected()
    {
        var actor = ActorOf(Props.Create<Silent>(), "silent");
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            _ = actor.Ask<int>("x", TimeSpan.Zero);
        });
    }

    private sealed class Silent : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is not string)
            {
                Unhandled(message);
            }
        }
    }

    private sealed class GatedCounter : ReceiveActor
    {
        public GatedCounter(Task gate)
        {
            ReceiveAsync<string>(s => s == "hold", async _ =>
            {
                await gate;
                Sender.Tell("held");
            });
            Receive<Boom>(b => throw b.Exception);
            ReceiveAny(_ => Sender.Tell(1));
        }
    }

    private sealed class AsyncFailer : ReceiveActor
    {
        public AsyncFailer() => ReceiveAsync<string>(async _ =>
        {
            await Task.Yield();
            throw new TimeoutException("late");
        });
    }
}
