using Npgsql;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// Waiting on what only the database can show (leases expire and renewals happen on its clock, with no event a test
/// could wait on): re-read until a condition holds. A probe, not a sleep; the timeout is the failure guard.
/// </summary>
internal static class DatabasePoll
{
    /// <summary>
    /// Calls <paramref name="read"/> every <paramref name="period"/> until <paramref name="condition"/> holds for what
    /// it returned, and returns that. Read errors (the database may be down on purpose) count as "not yet".
    /// </summary>
    /// <param name="read">One read of what the test waits on.</param>
    /// <param name="condition">True once the read shows it.</param>
    /// <param name="what">What is awaited, for the timeout's message.</param>
    /// <param name="timeout">The failure guard.</param>
    /// <param name="period">How often to read.</param>
    /// <param name="describe">Says what was read last (null when no read succeeded), for the timeout's message.</param>
    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> read, Func<T, bool> condition, string what, TimeSpan timeout, TimeSpan period, Func<T?, string> describe)
        where T : class
    {
        using var guard = new CancellationTokenSource(timeout);
        using var timer = new PeriodicTimer(period);
        T? last = null;
        Exception? lastError = null;
        try
        {
            do
            {
                try
                {
                    last = await read(guard.Token);
                    if (condition(last))
                    {
                        return last;
                    }
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
                {
                    lastError = e;
                }
            }
            while (await timer.WaitForNextTickAsync(guard.Token));
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:F1}s. {describe(last)}{(lastError is null ? "" : "; last error: " + lastError.Message)}");
    }
}
