using Npgsql;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// Reads the lease table every few tens of milliseconds in the background for as long as it runs, so a test can
/// tell afterwards when ownership changed and check that it only ever changed with a higher epoch.
/// </summary>
internal sealed class LeaseSampler : IAsyncDisposable
{
    private readonly LeaseTable _table;
    private readonly List<LeaseSnapshot> _samples = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstSample = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    private LeaseSampler(LeaseTable table, TimeSpan period)
    {
        _table = table;
        _loop = Task.Run(() => RunAsync(period));
    }

    public static LeaseSampler Start(LeaseTable table, TimeSpan? period = null) => new(table, period ?? TimeSpan.FromMilliseconds(40));

    /// <summary>Completes with the first successful read (so a test knows the "before" is on record).</summary>
    public Task FirstSample => _firstSample.Task;

    public IReadOnlyList<LeaseSnapshot> Samples
    {
        get { lock (_gate) { return [.. _samples]; } }
    }

    /// <summary>Stops sampling and returns every sample, oldest first.</summary>
    public async Task<IReadOnlyList<LeaseSnapshot>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return Samples;
    }

    /// <summary>The first sample at or after <paramref name="since"/> satisfying <paramref name="condition"/>, if any.</summary>
    public LeaseSnapshot? First(TimeSpan since, Func<LeaseSnapshot, bool> condition) =>
        Samples.FirstOrDefault(s => s.At >= since && condition(s));

    /// <summary>
    /// Problems with the sequence of owners and epochs: an epoch that went down, or an owner that changed
    /// without a higher epoch (two nodes could then both believe they hold the same lease).
    /// </summary>
    public static IReadOnlyList<string> EpochViolations(IReadOnlyList<LeaseSnapshot> samples)
    {
        var problems = new List<string>();
        for (int i = 1; i < samples.Count; i++)
        {
            LeaseSnapshot before = samples[i - 1];
            LeaseSnapshot after = samples[i];
            for (int shard = 0; shard < after.Shards.Count; shard++)
            {
                ShardLease a = before.Shards[shard];
                ShardLease b = after.Shards[shard];
                if (b.Epoch < a.Epoch)
                {
                    problems.Add($"shard {shard}: epoch went down {a.Epoch} -> {b.Epoch} between {before.At.TotalSeconds:F2}s and {after.At.TotalSeconds:F2}s");
                }
                else if (b.Owner is not null && a.Owner is not null && b.Owner != a.Owner && b.Epoch == a.Epoch)
                {
                    problems.Add($"shard {shard}: owner {a.Owner} -> {b.Owner} at the same epoch {a.Epoch} ({after.At.TotalSeconds:F2}s)");
                }
            }
        }

        return problems;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan period)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            do
            {
                try
                {
                    LeaseSnapshot sample = await _table.ReadAsync(_stop.Token);
                    lock (_gate)
                    {
                        _samples.Add(sample);
                    }

                    _firstSample.TrySetResult();
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // The database may be stopped on purpose; the gap simply has no samples.
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }
}
