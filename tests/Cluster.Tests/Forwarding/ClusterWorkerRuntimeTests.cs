using System.Net;
using System.Net.Sockets;
using ActorHost.Cluster.Coordination;
using ActorHost.Cluster.Forwarding;
using ActorHost.Cluster.Tests.Forwarding.Support;
using ActorHost.Workers;
using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster.Tests.Forwarding;

/// <summary>Local vs forward vs wait, with a fake shard directory and real Kestrel owners.</summary>
public sealed class ClusterWorkerRuntimeTests : IAsyncDisposable
{
    private readonly CapturedLog _log = new();
    private readonly FakeShardDirectory _directory = new();
    private readonly RecordingLocalRuntime _local = new();
    private readonly List<OwnerServer> _owners = [];
    private readonly ShardDispatchGate _gate = new(16);
    private ClusterWorkerRuntime? _runtime;

    private ClusterWorkerRuntime Runtime => _runtime ??= Create();

    private int Shard => _directory.ShardOf("7");

    public async ValueTask DisposeAsync()
    {
        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        foreach (OwnerServer owner in _owners)
        {
            await owner.DisposeAsync();
        }

        _log.Factory.Dispose();
    }

    private ClusterWorkerRuntime Create(ClusterOptions? options = null) =>
        _runtime = new ClusterWorkerRuntime(_local, _directory, _gate, options ?? Forward.Options(), _log.Factory, TimeProvider.System);

    private async Task<OwnerServer> OwnerAsync(Func<Microsoft.AspNetCore.Http.HttpContext, Task> handler)
    {
        OwnerServer owner = await OwnerServer.StartAsync(handler);
        _owners.Add(owner);
        return owner;
    }

    private (RequestEnvelope Envelope, RecordingSink Sink) Dispatch(string route = "counter", string? key = "7", byte[]? body = null)
    {
        var sink = new RecordingSink();
        RequestEnvelope envelope = Runtime.CreateEnvelope(Forward.Request(method: body is null ? "GET" : "POST", route: route, key: key, body: body), sink);
        Runtime.Dispatch(envelope);
        return (envelope, sink);
    }

    private static ShardRoute Remote(OwnerServer owner, string id, int shard) => Forward.RemoteRoute(owner.Address, id, shard);

    private static ShardRoute Unavailable(int shard, string reason = "owner-down") => new(ShardRouteKind.Unavailable, shard, 0, null, null, reason);

    private static ShardRoute Local(int shard) => new(ShardRouteKind.Local, shard, 2, "sender-1", null, null);

    private static async Task<RequestResult> ResultOf(RequestEnvelope envelope) => await envelope.Completion.WaitAsync(Forward.Guard);

    [Fact]
    public void A_pool_route_is_dispatched_locally_without_asking_the_directory()
    {
        (RequestEnvelope envelope, _) = Dispatch(route: "echo", key: null);

        Assert.Same(envelope, Assert.Single(_local.Dispatched));
        Assert.Equal(0, _directory.RouteCalls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_entity_request_without_a_key_is_dispatched_locally_so_the_runtime_rejects_it(string? key)
    {
        (RequestEnvelope envelope, _) = Dispatch(key: key);

        Assert.Same(envelope, Assert.Single(_local.Dispatched));
        Assert.Equal(0, _directory.RouteCalls);
    }

    [Fact]
    public void A_request_for_an_unknown_route_is_dispatched_locally()
    {
        (RequestEnvelope envelope, _) = Dispatch(route: "nope");

        Assert.Same(envelope, Assert.Single(_local.Dispatched));
    }

    [Fact]
    public void An_entity_of_a_local_shard_is_dispatched_locally_before_dispatch_returns()
    {
        int asked = -1;
        _directory.Current = shard =>
        {
            asked = shard;
            return Local(shard);
        };

        (RequestEnvelope envelope, _) = Dispatch();

        Assert.Equal(ShardHash.ShardOf("7", 16), asked);
        Assert.Same(envelope, Assert.Single(_local.Dispatched));

        // The local worker marks its own exit; the cluster runtime must not claim it.
        Assert.False(envelope.HandlerExited.IsCompleted);
    }

    [Fact]
    public async Task A_stop_of_the_shard_waits_until_a_local_dispatch_in_progress_reached_the_runtime()
    {
        _directory.Current = Local;
        var entities = new RecordingEntityControl();
        var stopper = new ShardEntityStopper(entities, _gate, 16);
        var shards = new ObservedShardSet([Shard]);
        Task? stopping = null;
        _local.OnDispatch = _ =>
        {
            // Inside the local dispatch: a hand-off of the shard starts stopping its entities now.
            stopping = Task.Run(() => stopper.StopEntitiesAsync(shards, TimeSpan.FromSeconds(1), CancellationToken.None));
            shards.Reached(Shard).Wait(Forward.Guard);
            Assert.Empty(entities.Calls);
            entities.GateLeft = true;
        };

        Dispatch();

        await stopping!.WaitAsync(Forward.Guard);
        Assert.Single(entities.Calls);
        Assert.True(entities.CalledAfterGateLeft);
    }

    [Fact]
    public async Task Dispatches_of_every_kind_leave_the_gate_quiet()
    {
        OwnerServer owner = await OwnerAsync(c => OwnerAnswers.Serve(c, "owner-a"));
        _directory.Current = Local;
        Dispatch(key: "7");
        _directory.Current = shard => Remote(owner, "owner-a", shard);
        (RequestEnvelope forwarded, _) = Dispatch(key: "7");
        await ResultOf(forwarded);
        _directory.Current = Local;
        using var refused = new RequestEnvelope(Forward.Request(), new RecordingSink());
        Assert.True(Runtime.TryDispatchLocally(refused, Shard));
        _directory.Current = shard => Unavailable(shard);
        using var notOurs = new RequestEnvelope(Forward.Request(), new RecordingSink());
        Assert.False(Runtime.TryDispatchLocally(notOurs, Shard));
        var entities = new RecordingEntityControl();

        await Task.Run(() => new ShardEntityStopper(entities, _gate, 16).StopEntitiesAsync(
            new HashSet<int>(Enumerable.Range(0, 16)), TimeSpan.FromSeconds(1), CancellationToken.None)).WaitAsync(Forward.Guard);

        Assert.Single(entities.Calls);
    }

    [Fact]
    public async Task An_entity_of_a_remote_shard_is_forwarded_to_its_owner_and_the_owners_answer_is_relayed()
    {
        OwnerServer owner = await OwnerAsync(c => OwnerAnswers.Serve(c, "owner-a"));
        _directory.Current = shard => Remote(owner, "owner-a", shard);

        (RequestEnvelope envelope, RecordingSink sink) = Dispatch(body: Forward.Utf8("{\"by\":2}"));

        Assert.Equal(RequestOutcome.Ok, (await ResultOf(envelope)).Outcome);
        Assert.Equal("served by owner-a", sink.BodyText);
        Assert.Empty(_local.Dispatched);
        ReceivedRequest received = Assert.Single(owner.Received);
        Assert.Equal("{\"by\":2}", System.Text.Encoding.UTF8.GetString(received.Body));
        Assert.Equal($"{Shard}:5", received.Header(ForwardHeaders.Shard));
        Assert.Equal(new HandlerIdentity("actorhost://owner-a/user/routes/counter/7", 1), envelope.Handler);
        await envelope.HandlerExited.WaitAsync(Forward.Guard);
    }

    [Fact]
    public async Task A_misdirected_request_is_retried_once_at_the_refreshed_owner()
    {
        OwnerServer first = await OwnerAsync(OwnerAnswers.Misdirect);
        OwnerServer second = await OwnerAsync(c => OwnerAnswers.Serve(c, "owner-b"));
        _directory.Current = shard => Remote(first, "owner-a", shard);
        _directory.OnRefresh(Remote(second, "owner-b", Shard));

        (RequestEnvelope envelope, RecordingSink sink) = Dispatch();

        Assert.Equal(RequestOutcome.Ok, (await ResultOf(envelope)).Outcome);
        Assert.Equal("served by owner-b", sink.BodyText);
        Assert.Single(first.Received);
        Assert.Single(second.Received);
        Assert.Equal(new[] { Shard }, _directory.Refreshes);
        Assert.Empty(_directory.Waits);
        CapturedLine line = Assert.Single(_log.Lines, l => l.EventId.Id == 602);
        Assert.Equal(LogLevel.Debug, line.Level);
    }

    [Fact]
    public async Task A_misdirected_request_whose_refresh_says_local_is_dispatched_locally()
    {
        OwnerServer first = await OwnerAsync(OwnerAnswers.Misdirect);
        int routes = 0;
        _directory.Current = shard => Interlocked.Increment(ref routes) == 1 ? Remote(first, "owner-a", shard) : Local(shard);
        _directory.OnRefresh(Local(Shard));

        (RequestEnvelope envelope, _) = Dispatch();

        await WhenDispatchedLocally(envelope);
        Assert.Single(first.Received);
        Assert.False(envelope.IsCompleted);
    }

    [Fact]
    public async Task Misdirected_twice_waits_for_an_owner_other_than_the_last_one_then_forwards_there()
    {
        int calls = 0;
        OwnerServer a = await OwnerAsync(c => Interlocked.Increment(ref calls) == 1 ? OwnerAnswers.Misdirect(c) : OwnerAnswers.Serve(c, "owner-a"));
        OwnerServer b = await OwnerAsync(OwnerAnswers.Misdirect);
        _directory.Current = shard => Remote(a, "owner-a", shard);
        _directory.OnRefresh(Remote(b, "owner-b", Shard));

        (RequestEnvelope envelope, RecordingSink sink) = Dispatch();

        WaitCall wait = await _directory.NextWaitAsync();
        Assert.Equal("owner-b", wait.AvoidOwner);
        Assert.Equal(Shard, wait.Shard);
        Assert.Equal(TimeSpan.FromSeconds(3), wait.Timeout);
        Assert.False(envelope.IsCompleted);
        Assert.Equal(1, Runtime.Waiting);
        wait.Release(Remote(a, "owner-a", Shard));

        Assert.Equal(RequestOutcome.Ok, (await ResultOf(envelope)).Outcome);
        Assert.Equal("served by owner-a", sink.BodyText);
        Assert.Equal(2, a.Received.Count);
        Assert.Single(b.Received);
        Assert.Single(_directory.Refreshes);
        Assert.Equal(0, Runtime.Waiting);
    }

    [Fact]
    public async Task An_owner_that_said_not_mine_twice_is_tried_again_once_it_holds_the_shard_at_a_new_epoch()
    {
        // A node restarted under the same id: it says 421 until the old process's lease expires and it claims the
        // shard (a new epoch). The same id at a new epoch is a new lease, not the one that misdirected us.
        int calls = 0;
        OwnerServer restarted = await OwnerAsync(c => Interlocked.Increment(ref calls) <= 2 ? OwnerAnswers.Misdirect(c) : OwnerAnswers.Serve(c, "owner-a"));
        _directory.Current = shard => Forward.RemoteRoute(restarted.Address, "owner-a", shard, epoch: 5);
        _directory.OnRefresh(Forward.RemoteRoute(restarted.Address, "owner-a", Shard, epoch: 5));

        (RequestEnvelope envelope, RecordingSink sink) = Dispatch();

        WaitCall wait = await _directory.NextWaitAsync();
        Assert.Equal(("owner-a", 5L), (wait.AvoidOwner, wait.Avoid!.Value.Epoch));
        wait.Release(Forward.RemoteRoute(restarted.Address, "owner-a", Shard, epoch: 6));

        Assert.Equal(RequestOutcome.Ok, (await ResultOf(envelope)).Outcome);
        Assert.Equal("served by owner-a", sink.BodyText);
        Assert.Equal(3, restarted.Received.Count);
        Assert.Single(_directory.Waits);
    }

    [Fact]
    public async Task An_unreachable_owner_is_avoided_while_waiting_and_the_new_owner_serves()
    {
        OwnerServer next = await OwnerAsync(c => OwnerAnswers.Serve(c, "owner-b"));
        _directory.Current = shard => Forward.RemoteRoute(ClosedPort(), "owner-dead", shard);

        (RequestEnvelope envelope, RecordingSink sink) = Dispatch();

        WaitCall wait = await _directory.NextWaitAsync();
        Assert.Equal("owner-dead", wait.AvoidOwner);
        Assert.False(envelope.IsCompleted);
        wait.Release(Remote(next, "owner-b", Shard));

        Assert.Equal(RequestOutcome.Ok, (await ResultOf(envelope)).Outcome);
        Assert.Equal("served by owner-b", sink.BodyText);
        Assert.Single(_log.Lines, l => l.EventId.Id == 601);
        await envelope.HandlerExited.WaitAsync(Forward.Guard);
    }

    [Fact]
    public async Task A_shard_without_an_owner_waits_and_is_forwarded_once_one_appears()
    {
        OwnerServer owner = await OwnerAsync(c => OwnerAnswers.Serve(c, "owner-a"));
        _directory.Current = shard => Unavailable(shard, "handing-off");

        (RequestEnvelope envelope, RecordingSink sink) = Dispatch();

        WaitCall wait = await _directory.NextWaitAsync();
        Assert.Null(wait.AvoidOwner);
        Assert.Empty(owner.Received);
        wait.Release(Remote(owner, "owner-a", Shard));

        Assert.Equal(RequestOutcome.Ok, (await ResultOf(envelope)).Outcome);
        Assert.Equal("served by owner-a", sink.BodyText);
    }

    [Fact]
    public async Task A_shard_that_becomes_local_while_waiting_is_dispatched_locally()
    {
        _directory.Current = shard => Unavailable(shard);

        (RequestEnvelope envelope, _) = Dispatch();

        WaitCall wait = await _directory.NextWaitAsync();
        _directory.Current = Local;
        wait.Release(Local(Shard));

        await WhenDispatchedLocally(envelope);
        Assert.False(envelope.IsCompleted);
    }

    [Fact]
    public async Task A_shard_still_without_an_owner_when_the_wait_ends_gets_shard_unavailable()
    {
        _directory.Current = shard => Unavailable(shard);

        (RequestEnvelope envelope, RecordingSink sink) = Dispatch();

        WaitCall wait = await _directory.NextWaitAsync();
        Assert.Equal(TimeSpan.FromSeconds(3), wait.Timeout);
        wait.Release(Unavailable(Shard, "owner-down"));

        RequestResult result = await ResultOf(envelope);
        Assert.Equal(RequestOutcome.ShardUnavailable, result.Outcome);
        ShardUnavailableException error = Assert.IsType<ShardUnavailableException>(result.Error);
        Assert.Contains("owner-down", error.Message, StringComparison.Ordinal);
        Assert.Contains($"shard {Shard}", error.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Steps);
        Assert.Empty(_local.Dispatched);
        await envelope.HandlerExited.WaitAsync(Forward.Guard);
    }

    [Fact]
    public async Task When_the_handoff_buffer_is_full_a_further_request_gets_shard_unavailable_at_once()
    {
        OwnerServer owner = await OwnerAsync(c => OwnerAnswers.Serve(c, "owner-a"));
        Create(Forward.Options(handoffBuffer: 1));
        _directory.Current = shard => Unavailable(shard);

        (RequestEnvelope first, RecordingSink firstSink) = Dispatch();
        WaitCall wait = await _directory.NextWaitAsync();
        Assert.Equal(1, Runtime.Waiting);

        (RequestEnvelope second, _) = Dispatch();

        RequestResult rejected = await ResultOf(second);
        Assert.Equal(RequestOutcome.ShardUnavailable, rejected.Outcome);
        Assert.Contains("handoff-buffer", Assert.IsType<ShardUnavailableException>(rejected.Error).Message, StringComparison.Ordinal);
        Assert.Single(_directory.Waits);
        Assert.False(first.IsCompleted);
        CapturedLine full = Assert.Single(_log.Lines, l => l.EventId.Id == 604);
        Assert.Equal(LogLevel.Warning, full.Level);

        wait.Release(Remote(owner, "owner-a", Shard));
        Assert.Equal(RequestOutcome.Ok, (await ResultOf(first)).Outcome);
        Assert.Equal("served by owner-a", firstSink.BodyText);
        Assert.Equal(0, Runtime.Waiting);
    }

    [Fact]
    public async Task A_request_cancelled_while_waiting_for_an_owner_ends_with_its_cancellation_cause()
    {
        _directory.Current = shard => Unavailable(shard);

        (RequestEnvelope envelope, _) = Dispatch();
        WaitCall wait = await _directory.NextWaitAsync();
        envelope.Cancel(RequestOutcome.ClientAborted);

        RequestResult result = await ResultOf(envelope);
        Assert.Equal(RequestOutcome.ClientAborted, result.Outcome);
        Assert.True(wait.Token.IsCancellationRequested);
        await envelope.HandlerExited.WaitAsync(Forward.Guard);
        Assert.Equal(0, Runtime.Waiting);
    }

    [Fact]
    public void TryDispatchLocally_refuses_a_shard_this_node_does_not_serve()
    {
        _directory.Current = shard => Forward.RemoteRoute(new Uri("http://127.0.0.1:1"), "owner-a", shard);
        using var envelope = new RequestEnvelope(Forward.Request(), new RecordingSink());

        Assert.False(Runtime.TryDispatchLocally(envelope, Shard));
        Assert.Empty(_local.Dispatched);

        _directory.Current = shard => Unavailable(shard, "fenced");
        Assert.False(Runtime.TryDispatchLocally(envelope, Shard));
        Assert.Empty(_local.Dispatched);
    }

    [Fact]
    public void TryDispatchLocally_dispatches_a_shard_this_node_serves()
    {
        _directory.Current = Local;
        using var envelope = new RequestEnvelope(Forward.Request(), new RecordingSink());

        Assert.True(Runtime.TryDispatchLocally(envelope, Shard));
        Assert.Same(envelope, Assert.Single(_local.Dispatched));
    }

    [Fact]
    public void A_stuck_report_for_a_forwarded_request_is_ignored_because_its_owner_watches_it()
    {
        using var envelope = new RequestEnvelope(Forward.Request(), new RecordingSink())
        {
            Handler = new HandlerIdentity("actorhost://owner-a/user/routes/counter/7", 1),
        };

        Runtime.ReportStuck(envelope);

        Assert.Empty(_local.Stuck);
    }

    [Fact]
    public void A_stuck_report_for_a_local_request_is_passed_to_the_local_runtime()
    {
        using var local = new RequestEnvelope(Forward.Request(), new RecordingSink()) { Handler = new HandlerIdentity("/user/routes/counter/7", 1) };
        using var unassigned = new RequestEnvelope(Forward.Request(), new RecordingSink());

        Runtime.ReportStuck(local);
        Runtime.ReportStuck(unassigned);

        Assert.Equal(new[] { local, unassigned }, _local.Stuck);
    }

    [Fact]
    public void The_local_runtimes_routes_and_envelopes_are_used()
    {
        Assert.Same(_local.Routes, Runtime.Routes);
        Assert.Same(_local.WhenTerminated, Runtime.WhenTerminated);
    }

    private async Task WhenDispatchedLocally(RequestEnvelope envelope)
    {
        await _local.WhenDispatched(envelope);

        // The local worker marks its own exit; the forwarding loop must not claim it.
        Assert.False(envelope.HandlerExited.IsCompleted);
    }

    private static Uri ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return new Uri($"http://127.0.0.1:{((IPEndPoint)socket.LocalEndPoint!).Port}");
    }
}
