using ActorHost.Cluster.Forwarding;
using ActorHost.Cluster.Tests.Forwarding.Support;
using ActorHost.Workers;

namespace ActorHost.Cluster.Tests.Forwarding;

public class ShardEntityStopperTests
{
    private const int Shards = 16;

    [Fact]
    public async Task The_stop_selects_exactly_the_keys_of_the_given_shards()
    {
        var entities = new RecordingEntityControl();
        var stopper = new ShardEntityStopper(entities, new ShardDispatchGate(Shards), Shards);
        var shards = new HashSet<int> { 2, 11 };

        await stopper.StopEntitiesAsync(shards, TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(Forward.Guard);

        Func<string, bool> matches = Assert.Single(entities.Calls);
        string[] keys = [.. Enumerable.Range(0, 2_000).Select(i => "key-" + i), "", "ключ", "a/b", "with space"];
        Assert.Contains(keys, k => matches(k));
        Assert.Contains(keys, k => !matches(k));
        foreach (string key in keys)
        {
            Assert.Equal(shards.Contains(ShardHash.ShardOf(key, Shards)), matches(key));
        }
    }

    [Fact]
    public async Task No_shards_means_nothing_to_stop()
    {
        var entities = new RecordingEntityControl();
        var stopper = new ShardEntityStopper(entities, new ShardDispatchGate(Shards), Shards);

        await stopper.StopEntitiesAsync(new HashSet<int>(), TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(Forward.Guard);

        Assert.Empty(entities.Calls);
    }

    [Fact]
    public async Task The_stop_waits_for_a_local_dispatch_in_progress_of_one_of_its_shards()
    {
        var entities = new RecordingEntityControl();
        var gate = new ShardDispatchGate(Shards);
        var stopper = new ShardEntityStopper(entities, gate, Shards);
        gate.Enter(5);
        var shards = new ObservedShardSet([3, 5]);

        Task stopping = Task.Run(() => stopper.StopEntitiesAsync(shards, TimeSpan.FromSeconds(1), CancellationToken.None));

        // The stopper has reached shard 5 (the one in progress) and can go no further until it is left.
        await shards.Reached(5).WaitAsync(Forward.Guard);
        Assert.Empty(entities.Calls);
        Assert.False(stopping.IsCompleted);
        entities.GateLeft = true;
        gate.Exit(5);

        await stopping.WaitAsync(Forward.Guard);
        Assert.Single(entities.Calls);
        Assert.True(entities.CalledAfterGateLeft);
    }

    [Fact]
    public async Task A_dispatch_in_progress_of_another_shard_does_not_hold_the_stop()
    {
        var entities = new RecordingEntityControl();
        var gate = new ShardDispatchGate(Shards);
        var stopper = new ShardEntityStopper(entities, gate, Shards);
        gate.Enter(9);

        await Task.Run(() => stopper.StopEntitiesAsync(new HashSet<int> { 3, 5 }, TimeSpan.FromSeconds(1), CancellationToken.None)).WaitAsync(Forward.Guard);

        Assert.Single(entities.Calls);
        gate.Exit(9);
    }

    [Fact]
    public async Task A_dispatch_that_entered_and_left_does_not_hold_the_stop()
    {
        var entities = new RecordingEntityControl();
        var gate = new ShardDispatchGate(Shards);
        var stopper = new ShardEntityStopper(entities, gate, Shards);
        gate.Enter(5);
        gate.Enter(5);
        gate.Exit(5);
        gate.Exit(5);

        await stopper.StopEntitiesAsync(new HashSet<int> { 5 }, TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(Forward.Guard);

        Assert.Single(entities.Calls);
    }

    [Fact]
    public async Task The_stop_completes_when_the_entity_control_completes()
    {
        var entities = new RecordingEntityControl { Completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var stopper = new ShardEntityStopper(entities, new ShardDispatchGate(Shards), Shards);

        Task stopping = stopper.StopEntitiesAsync(new HashSet<int> { 1 }, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.False(stopping.IsCompleted);
        entities.Completion.SetResult();
        await stopping.WaitAsync(Forward.Guard);
    }

    [Fact]
    public void Null_arguments_are_refused_clearly()
    {
        Assert.Throws<ArgumentNullException>(() => new ShardEntityStopper(null!, new ShardDispatchGate(Shards), Shards));
        Assert.Throws<ArgumentNullException>(() => new ShardEntityStopper(new RecordingEntityControl(), null!, Shards));
        var stopper = new ShardEntityStopper(new RecordingEntityControl(), new ShardDispatchGate(Shards), Shards);
        Assert.Throws<ArgumentNullException>(() => { _ = stopper.StopEntitiesAsync(null!, TimeSpan.FromSeconds(1), CancellationToken.None); });
    }
}
