using ActorHost.Workers.Runtime;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Runtime;

/// <summary>
/// The gate through which dispatching threads deliver straight to a live entity: whoever closes it (the route
/// supervisor before a stop, or a stop by key) must know that no caller is still inside when it goes on.
/// </summary>
public class EntityGateTests
{
    private static WorkerSlot Entity() => new(route: null!, name: "a", entityKey: "a", baseIncarnation: 0);

    [Fact]
    public void An_open_gate_lets_callers_in_and_a_closed_one_refuses_them_until_it_is_opened_again()
    {
        WorkerSlot entity = Entity();
        Assert.True(entity.TryEnter());
        entity.Exit();

        entity.CloseGate();
        Assert.False(entity.TryEnter());

        entity.OpenGate();
        Assert.True(entity.TryEnter());
        entity.Exit();
    }

    [Fact]
    public void A_stop_by_key_closes_the_gate_for_good_even_against_the_supervisor_opening_it()
    {
        WorkerSlot entity = Entity();

        entity.CloseGateForStop();
        entity.CloseGate();
        entity.OpenGate();

        Assert.False(entity.TryEnter());
    }

    [Fact]
    public void A_worker_stopping_for_good_refuses_callers_with_its_gate_still_open()
    {
        WorkerSlot entity = Entity();

        entity.Stopping = true;

        Assert.False(entity.TryEnter());
    }

    [Fact]
    public async Task Closing_waits_for_the_caller_inside_and_refused_callers_do_not_hold_it_up()
    {
        WorkerSlot entity = Entity();
        Assert.True(entity.TryEnter());

        Task closing = Task.Factory.StartNew(entity.CloseGate, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (entity.TryEnter())
        {
            // Until the closer has marked the gate closed, a caller still gets in (and leaves at once).
            entity.Exit();
        }

        Assert.False(closing.IsCompleted);
        entity.Exit();

        await closing.WaitAsync(Harness.Guard);
        Assert.False(entity.TryEnter());
    }
}
