namespace ActorHost.Actors.Tests;

public sealed class AsyncReceiveTests : TestKit.TestKit
{
    [Fact]
    public void No_other_user_message_is_processed_while_an_async_handler_awaits()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Sequencer(gate.Task)), "seq");
        actor.Tell("slow", probe.Ref);
        probe.ExpectMsg("slow:start");
        actor.Tell("fast", probe.Ref);
        probe.ExpectNoMsg();
        gate.SetResult();
        probe.ExpectMsg("slow:end");
        probe.ExpectMsg("fast");
    }

    [Fact]
    public void An_AsyncUntypedActor_processes_no_other_message_while_its_receive_awaits_and_replies_to_the_original_sender()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new UntypedSequencer(gate.Task)), "untyped");
        actor.Tell("slow", first.Ref);
        first.ExpectMsg("slow:start");
        actor.Tell("fast", second.Ref);
        second.ExpectNoMsg();
        gate.SetResult();
        first.ExpectMsg("slow:end");
        second.ExpectMsg("fast");
    }

    [Fact]
    public void An_AsyncUntypedActor_that_leaves_a_message_unhandled_publishes_it()
    {
        var actor = ActorOf(Props.Create(() => new UntypedSequencer(Task.CompletedTask)), "untyped");
        actor.Tell(42);
        Assert.Equal(42, Events.Expect<UnhandledMessage>(e => e.Recipient.Path == actor.Path).Message);
    }

    [Fact]
    public void Continuations_run_on_the_actor_with_the_sender_restored()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Sequencer(gate.Task)), "seq");
        actor.Tell("slow", first.Ref);
        first.ExpectMsg("slow:start");
        gate.SetResult();

        // The reply after the await goes to the original sender.
        first.ExpectMsg("slow:end");
    }

    [Fact]
    public void Stop_is_processed_while_an_async_handler_awaits()
    {
        var never = new TaskCompletionSource();
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Sequencer(never.Task)), "seq");
        probe.Watch(actor);
        actor.Tell("slow", probe.Ref);
        probe.ExpectMsg("slow:start");
        Sys.Stop(actor);
        probe.ExpectTerminated(actor);
        Assert.Equal(ActorState.Stopped, Sys.Inspect(actor)!.State);
    }

    [Fact]
    public async Task Become_with_an_async_behaviour_suspends_the_mailbox_too()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create<Switcher>(), "switch");
        actor.Tell("become", probe.Ref);
        actor.Tell(1, probe.Ref);
        actor.Tell(2, probe.Ref);
        probe.ExpectMsg("async:1");
        probe.ExpectMsg("async:2");
        actor.Tell("unbecome", probe.Ref);
        actor.Tell(3, probe.Ref);
        probe.ExpectMsg("sync:3");
        await Task.CompletedTask;
    }

    [Fact]
    public void ConfigureAwait_false_inside_a_handler_still_completes_the_turn()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create<ConfigureAwaitFalse>(), "caf");
        actor.Tell("go", probe.Ref);
        actor.Tell("next", probe.Ref);
        probe.ExpectMsg("done:go");
        probe.ExpectMsg("done:next");
    }

    private sealed class Sequencer : ReceiveActor
    {
        public Sequencer(Task gate)
        {
            ReceiveAsync<string>(s => s == "slow", async s =>
            {
                Sender.Tell("slow:start");
                await gate;
                Sender.Tell("slow:end");
            });
            Receive<string>(s => Sender.Tell(s));
        }
    }

    private sealed class Switcher : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is "become")
            {
                Context.Become(
                    async m =>
                    {
                        if (m is "unbecome")
                        {
                            Context.Unbecome();
                            return;
                        }

                        await Task.Yield();
                        Sender.Tell($"async:{m}");
                    },
                    discardOld: false);
                return;
            }

            Sender.Tell($"sync:{message}");
        }
    }

    private sealed class ConfigureAwaitFalse : ReceiveActor
    {
        public ConfigureAwaitFalse() => ReceiveAsync<string>(async s =>
        {
            var sender = Sender;
            await Task.Run(() => { }).ConfigureAwait(false);
            sender.Tell($"done:{s}");
        });
    }

    private sealed class UntypedSequencer(Task gate) : AsyncUntypedActor
    {
        protected override async Task OnReceiveAsync(object message)
        {
            switch (message)
            {
                case "slow":
                    Sender.Tell("slow:start");
                    await gate;
                    Sender.Tell("slow:end");
                    break;
                case string text:
                    Sender.Tell(text);
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }
    }
}
