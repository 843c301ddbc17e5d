namespace ActorHost.Actors.Tests;

/// <summary>
/// Timers that outlive the code that made them must not keep that code's execution context: its async-local values
/// (a request's activity, its log scopes, whatever a caller stored) would stay reachable for as long as the timer
/// lives. On the real clock, since only the system's timers capture a context.
/// </summary>
public sealed class TimerContextTests
{
    private static readonly AsyncLocal<object?> CallerValue = new();

    [Fact]
    public async Task A_receive_timeout_timer_does_not_keep_the_context_of_the_turn_that_armed_it()
    {
        await using var system = ActorSystem.Create("context");
        var armed = new TaskCompletionSource<WeakReference>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.ActorOf(Props.Create(() => new ArmsItsTimeout(armed)), "arms");

        actor.Tell("arm");
        WeakReference value = await armed.Task.Guard();

        // The turn's own frame may still hold the value until the turn has ended.
        Assert.True(SpinWait.SpinUntil(() => !((ActorCell)actor).IsScheduled, TaskGuard.Bound), "the actor's turn never ended");
        AssertCollected(value);
        Assert.NotNull(actor);
    }

    [Fact]
    public async Task The_ask_timeout_sweep_does_not_keep_the_context_of_the_ask_that_started_it()
    {
        await using var system = ActorSystem.Create("context");
        var silent = system.ActorOf(Props.Create(() => new Silent()), "silent");

        // The first Ask of the system starts the sweep's timer; it stays outstanding, so the timer keeps ticking.
        var (outstanding, value) = await AskWithCallerValueAsync(silent);

        AssertCollected(value);
        Assert.False(outstanding.IsCompleted);
    }

    [Fact]
    public async Task A_repeating_schedule_does_not_keep_the_context_it_was_made_in()
    {
        await using var system = ActorSystem.Create("context");
        var silent = system.ActorOf(Props.Create(() => new Silent()), "silent");

        var (schedule, value) = await ScheduleWithCallerValueAsync(system, silent);
        using (schedule)
        {
            AssertCollected(value);
        }
    }

    // Async so that the value set here leaves the caller's context when it returns: afterwards only what captured
    // this method's context can still hold it.
    private static async Task<(Task<object> Outstanding, WeakReference Value)> AskWithCallerValueAsync(IActorRef silent)
    {
        var value = new object();
        CallerValue.Value = value;
        Task<object> outstanding = silent.Ask<object>("never answered", TimeSpan.FromMinutes(10));
        await Task.CompletedTask;
        return (outstanding, new WeakReference(value));
    }

    private static async Task<(IDisposable Schedule, WeakReference Value)> ScheduleWithCallerValueAsync(ActorSystem system, IActorRef receiver)
    {
        var value = new object();
        CallerValue.Value = value;
        IDisposable schedule = system.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10), receiver, "tick");
        await Task.CompletedTask;
        return (schedule, new WeakReference(value));
    }

    private static void AssertCollected(WeakReference value)
    {
        for (int attempt = 0; attempt < 3 && value.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(value.IsAlive, "a timer still holds the execution context it was made in");
    }

    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(_ => { });
    }

    private sealed class ArmsItsTimeout : ReceiveActor
    {
        public ArmsItsTimeout(TaskCompletionSource<WeakReference> armed)
        {
            Receive<string>(_ =>
            {
                var value = new object();
                CallerValue.Value = value;
                Context.SetReceiveTimeout(TimeSpan.FromMinutes(10));

                // Leave the turn's context without the value, so that only a timer that captured it could still hold it.
                CallerValue.Value = null;
                armed.SetResult(new WeakReference(value));
            });
        }
    }
}
