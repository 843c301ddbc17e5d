using System.Collections.Concurrent;
using ActorHost.Actors.TestKit;
using ActorHost.Gateway.Requests;
using RouteOptions = ActorHost.Workers.Options.RouteOptions;

namespace ActorHost.Gateway.Tests.Requests;

/// <summary>Route timeouts kept on one timer per timeout value, driven by a clock of the test's own.</summary>
public sealed class RequestDeadlinesTests
{
    private static readonly TimeSpan Timeout30 = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);
    private static readonly RouteOptions Route = new() { Name = "r", Path = "/r", Methods = ["GET"], Worker = "r" };

    private static FinishedRequest Request(string path) => new("GET", path, Route);

    [Fact]
    public async Task Each_request_times_out_at_its_own_deadline_on_one_timer_and_not_a_tick_before()
    {
        var clock = new ManualTimeProvider();
        var expired = new ConcurrentQueue<string>();
        using var deadlines = new RequestDeadlines(Timeout30, r => expired.Enqueue(r.Path), clock);
        FinishedRequest first = Request("/first");
        FinishedRequest second = Request("/second");

        deadlines.Add(first);
        clock.Advance(TimeSpan.FromSeconds(10));
        deadlines.Add(second);
        Assert.Equal(1, clock.PendingTimerCount);

        clock.Advance(TimeSpan.FromSeconds(20) - TimeSpan.FromTicks(1));
        Assert.Empty(expired);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(["/first"], expired);

        // The timer now waits for the second request alone.
        Assert.Equal(1, clock.PendingTimerCount);
        clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Equal(["/first"], expired);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(["/first", "/second"], expired);

        // Both are over: nothing waits, the timer is disarmed, and ending a timed-out request waits for nothing.
        Assert.Equal(0, deadlines.Count);
        Assert.Equal(0, clock.PendingTimerCount);
        Assert.True(deadlines.RemoveAsync(first).AsTask().IsCompletedSuccessfully);
        await deadlines.RemoveAsync(second);
        Assert.Equal(DeadlineState.Ended, first.DeadlineState);
    }

    [Fact]
    public void A_request_ended_before_its_deadline_never_times_out_and_the_next_one_keeps_its_own()
    {
        var clock = new ManualTimeProvider();
        var expired = new ConcurrentQueue<string>();
        using var deadlines = new RequestDeadlines(Timeout30, r => expired.Enqueue(r.Path), clock);
        FinishedRequest head = Request("/head");
        FinishedRequest middle = Request("/middle");
        FinishedRequest tail = Request("/tail");
        deadlines.Add(head);
        clock.Advance(TimeSpan.FromSeconds(5));
        deadlines.Add(middle);
        clock.Advance(TimeSpan.FromSeconds(5));
        deadlines.Add(tail);

        // The head ends: the timer stays armed for its old deadline, wakes there, finds nothing due, and re-arms.
        Assert.True(deadlines.RemoveAsync(head).AsTask().IsCompletedSuccessfully);
        Assert.True(deadlines.RemoveAsync(middle).AsTask().IsCompletedSuccessfully);
        Assert.Equal(1, deadlines.Count);
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Empty(expired);
        Assert.Equal(1, clock.PendingTimerCount);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["/tail"], expired);

        // The last one to end disarms the timer: a quiet route keeps no timer armed.
        FinishedRequest late = Request("/late");
        deadlines.Add(late);
        Assert.Equal(1, clock.PendingTimerCount);
        Assert.True(deadlines.RemoveAsync(late).AsTask().IsCompletedSuccessfully);
        Assert.Equal(0, clock.PendingTimerCount);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(["/tail"], expired);
        Assert.Throws<InvalidOperationException>(() => deadlines.Add(late));
    }

    [Fact]
    public async Task Ending_a_request_whose_timeout_callback_is_running_waits_until_the_callback_has_returned()
    {
        var clock = new ManualTimeProvider();
        var inCallback = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var deadlines = new RequestDeadlines(Timeout30, _ =>
        {
            inCallback.SetResult();
            release.Task.Wait(Guard);
        }, clock);
        FinishedRequest request = Request("/slow-callback");
        deadlines.Add(request);

        Task advancing = Task.Run(() => clock.Advance(Timeout30));
        await inCallback.Task.WaitAsync(Guard);
        Task ending = deadlines.RemoveAsync(request).AsTask();
        Assert.False(ending.IsCompleted);
        Assert.Equal(DeadlineState.Expiring, request.DeadlineState);

        release.SetResult();
        await ending.WaitAsync(Guard);
        await advancing.WaitAsync(Guard);
        Assert.Equal(DeadlineState.Ended, request.DeadlineState);
    }

    [Fact]
    public void A_callback_that_throws_does_not_keep_the_others_due_at_the_same_moment_from_timing_out()
    {
        var clock = new ManualTimeProvider();
        var expired = new ConcurrentQueue<string>();
        using var deadlines = new RequestDeadlines(Timeout30, r =>
        {
            expired.Enqueue(r.Path);
            if (r.Path == "/throws")
            {
                throw new InvalidOperationException("a cancellation callback failed");
            }
        }, clock);
        FinishedRequest[] requests = [Request("/a"), Request("/throws"), Request("/b")];
        foreach (FinishedRequest request in requests)
        {
            deadlines.Add(request);
        }

        AggregateException failure = Assert.Throws<AggregateException>(() => clock.Advance(Timeout30));

        Assert.IsType<InvalidOperationException>(Assert.Single(failure.InnerExceptions));
        Assert.Equal(["/a", "/throws", "/b"], expired);
        Assert.All(requests, r => Assert.Equal(DeadlineState.Ended, r.DeadlineState));
        Assert.Equal(0, clock.PendingTimerCount);
    }

    [Fact]
    public async Task Requests_added_and_ended_on_many_threads_leave_the_list_empty_and_the_timer_disarmed()
    {
        var clock = new ManualTimeProvider();
        int expired = 0;
        using var deadlines = new RequestDeadlines(Timeout30, _ => Interlocked.Increment(ref expired), clock);
        using var start = new Barrier(4);
        Task[] workers = [.. Enumerable.Range(0, 4).Select(worker => Task.Factory.StartNew(async () =>
        {
            start.SignalAndWait();
            for (int i = 0; i < 2_000; i++)
            {
                FinishedRequest request = Request($"/{worker}/{i}");
                deadlines.Add(request);
                await deadlines.RemoveAsync(request);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())];

        await Task.WhenAll(workers).WaitAsync(Guard);

        Assert.Equal(0, deadlines.Count);
        Assert.Equal(0, clock.PendingTimerCount);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, expired);
    }

    [Fact]
    public async Task Timeouts_do_not_run_in_the_context_of_the_request_that_made_the_list()
    {
        // On the real clock: the system's timers are the ones that carry an execution context. The short timeout is the
        // subject, not a wait; the guard only bounds a failure.
        var firstRequestsValue = new AsyncLocal<string>();
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        RequestDeadlines deadlines = await Task.Run(() =>
        {
            firstRequestsValue.Value = "first request";
            return new RequestDeadlines(TimeSpan.FromMilliseconds(20), _ => seen.TrySetResult(firstRequestsValue.Value), TimeProvider.System);
        });
        using (deadlines)
        {
            deadlines.Add(Request("/later"));
            Assert.Null(await seen.Task.WaitAsync(Guard));
        }
    }

    [Fact]
    public void A_timeout_that_is_not_a_positive_finite_time_is_refused()
    {
        var clock = new ManualTimeProvider();
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestDeadlines(TimeSpan.Zero, _ => { }, clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestDeadlines(System.Threading.Timeout.InfiniteTimeSpan, _ => { }, clock));
    }
}
