using System.Runtime.CompilerServices;

namespace ActorHost.Actors.Tests;

/// <summary>
/// <see cref="CallingThread.Run{TState}"/>: the turn a send wakes runs on the sending thread, and only then; a busy
/// actor, a sender inside a turn and the sender's async locals are as with a plain send.
/// </summary>
public sealed class CallingThreadTests : TestKit.TestKit
{
    private static readonly AsyncLocal<string?> Ambient = new();

    [Fact]
    public async Task The_turn_a_send_wakes_runs_on_the_sending_thread_before_Run_returns()
    {
        var seen = new Seen();
        var actor = await IdleRecorderAsync(seen);

        CallingThread.Run(static s => s.Actor.Tell("now"), (Actor: actor, Seen: seen));

        Assert.True(seen.Messages.TryGetValue("now", out int thread), "the message was not processed before Run returned");
        Assert.Equal(Environment.CurrentManagedThreadId, thread);
    }

    [Fact]
    public async Task The_turn_does_not_see_the_senders_async_locals()
    {
        var seen = new Seen();
        var actor = await IdleRecorderAsync(seen);
        Ambient.Value = "the sender's";

        CallingThread.Run(static a => a.Tell("now"), actor);

        Assert.True(seen.Messages.ContainsKey("now"));
        Assert.Null(seen.Ambient["now"]);
        Assert.Equal("the sender's", Ambient.Value);
    }

    [Fact]
    public async Task A_busy_actor_only_gets_the_message_queued()
    {
        var seen = new Seen();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var actor = ActorOf(Props.Create(() => new Recorder(seen, entered, release)));
        actor.Tell("block");
        Assert.True(entered.Wait(TaskGuard.Bound));

        CallingThread.Run(static a => a.Tell("queued"), actor);

        Assert.False(seen.Messages.ContainsKey("queued"));
        release.Set();
        await seen.WhenSeen("queued").Guard();
        Assert.Equal(seen.Messages["block"], seen.Messages["queued"]);
    }

    [Fact]
    public void Inside_a_turn_it_is_a_plain_send_whose_turn_runs_after_the_senders()
    {
        var probe = CreateTestProbe();
        var senderTurnEnded = new StrongBox<bool>();
        var receiver = ActorOf(Props.Create(() => new Answerer(probe.Ref, senderTurnEnded)));
        var sender = ActorOf(Props.Create(() => new SenderInsideTurn(receiver, senderTurnEnded)));

        sender.Tell("go");

        Assert.Equal("sender's turn had ended", probe.ExpectMsg<string>());
    }

    private async Task<IActorRef> IdleRecorderAsync(Seen seen)
    {
        var actor = ActorOf(Props.Create(() => new Recorder(seen, null, null)));
        actor.Tell("warm-up");
        await seen.WhenSeen("warm-up").Guard();

        // The warm-up was recorded inside the turn; the actor is idle only once its thread has let go of it.
        var cell = (ActorCell)actor;
        Assert.True(SpinWait.SpinUntil(() => !cell.IsScheduled, TaskGuard.Bound), "the actor never became idle");
        return actor;
    }

    private sealed class Seen
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _waiters = new();

        public System.Collections.Concurrent.ConcurrentDictionary<string, int> Messages { get; } = new();

        public System.Collections.Concurrent.ConcurrentDictionary<string, string?> Ambient { get; } = new();

        public void Record(string message, int thread, string? ambient)
        {
            Ambient[message] = ambient;
            Messages[message] = thread;
            Waiter(message).TrySetResult();
        }

        public Task WhenSeen(string message) => Waiter(message).Task;

        private TaskCompletionSource Waiter(string message) =>
            _waiters.GetOrAdd(message, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    private sealed class Recorder(Seen seen, ManualResetEventSlim? entered, ManualResetEventSlim? release) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            var text = (string)message;
            if (text == "block")
            {
                entered!.Set();
                release!.Wait(TaskGuard.Bound);
            }

            seen.Record(text, Environment.CurrentManagedThreadId, Ambient.Value);
        }
    }

    private sealed class SenderInsideTurn(IActorRef receiver, StrongBox<bool> turnEnded) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            CallingThread.Run(static r => r.Tell("check"), receiver);
            Volatile.Write(ref turnEnded.Value, true);
        }
    }

    private sealed class Answerer(IActorRef probe, StrongBox<bool> senderTurnEnded) : UntypedActor
    {
        protected override void OnReceive(object message) =>
            probe.Tell(Volatile.Read(ref senderTurnEnded.Value) ? "sender's turn had ended" : "ran inside the sender's turn");
    }
}
