using ActorHost.Gateway.Requests;
using ActorHost.Workers;

namespace ActorHost.Gateway.Tests.Requests;

/// <summary>The requests being served, as shutdown's grace and the escalation exit wait on them.</summary>
public sealed class InFlightRequestsTests
{
    [Fact]
    public async Task Waiting_for_the_end_completes_when_the_last_request_is_removed_and_not_before()
    {
        var inFlight = new InFlightRequests();
        InFlightRequest first = Listed(inFlight);
        InFlightRequest second = Listed(inFlight);
        Task empty = inFlight.WhenEmptyAsync();

        inFlight.Remove(first);
        Assert.False(empty.IsCompleted);
        Assert.Equal([second], inFlight.Snapshot());

        inFlight.Remove(second);
        await empty.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, inFlight.Count);
        Assert.True(first.Answered.IsCompletedSuccessfully && second.Answered.IsCompletedSuccessfully);
        Assert.True(inFlight.WhenEmptyAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Requests_finishing_on_several_threads_at_once_end_the_wait_exactly_when_the_last_one_goes()
    {
        // Each round races four removals, one per thread (and so, usually, per stripe of the registry), with the wait
        // already published: a missed last removal would leave the wait hanging.
        for (int round = 0; round < 200; round++)
        {
            var inFlight = new InFlightRequests();
            InFlightRequest[] requests = [.. Enumerable.Range(0, 4).Select(_ => Listed(inFlight))];
            Task empty = inFlight.WhenEmptyAsync();
            using var start = new Barrier(requests.Length);
            Task[] removals = [.. requests.Select(request => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                inFlight.Remove(request);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];

            await Task.WhenAll(removals).WaitAsync(TimeSpan.FromSeconds(10));
            await empty.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task A_request_is_listed_from_its_arrival_before_it_has_an_envelope_and_one_never_listed_is_ignored_on_removal()
    {
        var inFlight = new InFlightRequests();
        var arriving = new InFlightRequest();
        var neverListed = new InFlightRequest();

        inFlight.Add(arriving);
        Task empty = inFlight.WhenEmptyAsync();
        inFlight.Remove(neverListed);
        Assert.False(empty.IsCompleted);

        inFlight.Remove(arriving);
        await empty.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, inFlight.Count);
    }

    [Fact]
    public void Cutting_a_request_off_before_its_dispatch_and_dispatching_it_exclude_each_other()
    {
        var cutFirst = new InFlightRequest();
        var dispatchedFirst = new InFlightRequest();

        Assert.True(cutFirst.TryCutOffBeforeDispatch());
        Assert.False(cutFirst.TryMarkDispatched());
        Assert.True(cutFirst.IsCutOffBeforeDispatch);

        Assert.True(dispatchedFirst.TryMarkDispatched());
        Assert.False(dispatchedFirst.TryCutOffBeforeDispatch());
        Assert.False(dispatchedFirst.IsCutOffBeforeDispatch);
    }

    private static InFlightRequest Listed(InFlightRequests inFlight)
    {
        var request = new InFlightRequest { Envelope = Envelope() };
        inFlight.Add(request);
        return request;
    }

    private static RequestEnvelope Envelope() => new(
        new WorkerRequest { RequestId = "r", Route = "echo", Method = "POST", Path = "/echo" },
        new NullSink());

    private sealed class NullSink : IResponseSink
    {
        public ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask CompleteAsync() => ValueTask.CompletedTask;

        public void Abort()
        {
        }
    }
}
