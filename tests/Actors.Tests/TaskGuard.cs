namespace ActorHost.Actors.Tests;

/// <summary>Failure guard: a task the test awaits must complete within a bound (real time), or the test fails instead of hanging.</summary>
public static class TaskGuard
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static Task<T> Guard<T>(this Task<T> task) => task.WaitAsync(Bound);

    public static Task Guard(this Task task) => task.WaitAsync(Bound);
}
