using System.Diagnostics;

namespace ActorHost.Actors.Tests;

/// <summary>Bounded concurrency stress: outcomes are deterministic even though interleavings are not.</summary>
public sealed class StressTests
{
    private const int Actors = 64;

    [Fact]
    public async Task A_million_messages_with_one_percent_failures_are_each_processed_once_or_reported_failed()
    {
        const int Messages = 1_000_000;
        const int FailEvery = 100;
        await using var system = ActorSystem.Create("stress");
        var tracker = new Tracker(Messages, expectedProcessed: Messages - (Messages / FailEvery));
        var workers = Enumerable.Range(0, Actors).Select(i => system.ActorOf(Props.Create(() => new Worker(tracker)), $"w{i}")).ToArray();
        var failures = new Task<int>[Messages / FailEvery];

        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(producer => Task.Run(() =>
        {
            // Two producers, each sending half of the ids round-robin over the workers.
            for (var id = producer; id < Messages; id += 2)
            {
                var worker = workers[id % Actors];
                if (id % FailEvery == 0)
                {
                    failures[id / FailEvery] = worker.Ask<int>(new Work(id, Fail: true), TimeSpan.FromMinutes(1));
                }
                else
                {
                    worker.Tell(new Work(id, Fail: false));
                }
            }
        })));

        await tracker.AllProcessed.WaitAsync(TimeSpan.FromSeconds(60));
        var failedAsks = 0;
        foreach (var failure in failures)
        {
            var e = await Assert.ThrowsAsync<AskFailedException>(() => failure);
            Assert.Equal(Directive.Restart, e.Directive);
            failedAsks++;
        }

        // A final round trip per worker completes after any restart still in progress.
        var incarnations = await Task.WhenAll(workers.Select(w => w.Ask<int>("incarnation", TimeSpan.FromSeconds(30))));
        stopwatch.Stop();

        for (var id = 0; id < Messages; id++)
        {
            Assert.Equal(id % FailEvery == 0 ? 0 : 1, tracker.ProcessedCount(id));
        }

        var snapshots = workers.Select(w => system.Inspect(w)!).ToArray();
        var restarts = snapshots.Sum(s => s.RestartCount);
        var failuresSeen = snapshots.Sum(s => s.FailureCount);
        Assert.Equal(Messages / FailEvery, failedAsks);
        Assert.Equal(failedAsks, failuresSeen);
        Assert.Equal(failuresSeen, restarts);
        Assert.Equal(restarts + Actors, incarnations.Sum());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Every_ask_hears_its_outcome_under_concurrent_failures()
    {
        const int Asks = 200_000;
        await using var system = ActorSystem.Create("stress");
        var tracker = new Tracker(Asks, expectedProcessed: Asks - (Asks / 100));
        var workers = Enumerable.Range(0, Actors).Select(i => system.ActorOf(Props.Create(() => new Worker(tracker)), $"w{i}")).ToArray();
        var outcomes = new Task<int>[Asks];
        for (var id = 0; id < Asks; id++)
        {
            outcomes[id] = workers[id % Actors].Ask<int>(new Work(id, Fail: id % 100 == 0), TimeSpan.FromMinutes(1));
        }

        var replies = 0;
        var failed = 0;
        for (var id = 0; id < Asks; id++)
        {
            try
            {
                Assert.Equal(id, await outcomes[id].WaitAsync(TimeSpan.FromSeconds(60)));
                replies++;
            }
            catch (AskFailedException e) when (e.Directive == Directive.Restart)
            {
                Assert.Equal(0, id % 100);
                failed++;
            }
        }

        Assert.Equal(Asks / 100, failed);
        Assert.Equal(Asks - failed, replies);
        await Task.WhenAll(workers.Select(w => w.Ask<int>("incarnation", TimeSpan.FromSeconds(30))));
        Assert.Equal(failed, workers.Sum(w => system.Inspect(w)!.RestartCount));
    }

    private sealed record Work(int Id, bool Fail);

    private sealed class Tracker(int messages, int expectedProcessed)
    {
        private readonly int[] _processed = new int[messages];
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _total;

        public Task AllProcessed => _all.Task;

        public int ProcessedCount(int id) => Volatile.Read(ref _processed[id]);

        public void Processed(int id)
        {
            Interlocked.Increment(ref _processed[id]);
            if (Interlocked.Increment(ref _total) == expectedProcessed)
            {
                _all.SetResult();
            }
        }
    }

    private sealed class Worker : UntypedActor
    {
        private readonly Tracker _tracker;

        public Worker(Tracker tracker) => _tracker = tracker;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Work { Fail: true } work:
                    throw new InvalidOperationException($"injected failure {work.Id}");
                case Work work:
                    _tracker.Processed(work.Id);
                    Sender.Tell(work.Id);
                    break;
                case "incarnation":
                    Sender.Tell(Context.Incarnation);
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }
    }
}
