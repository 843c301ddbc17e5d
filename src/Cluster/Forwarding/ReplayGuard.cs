using System.Collections.Concurrent;

namespace ActorHost.Cluster.Forwarding;

/// <summary>
/// Remembers the nonces of accepted internal requests for the replay window, so a captured request cannot be
/// sent again while its timestamp would still pass. Bounded: once full, further requests are refused rather
/// than letting memory grow (the window is short, so this only happens under a flood).
/// </summary>
internal sealed class ReplayGuard(TimeSpan window, TimeProvider time, int capacity = 1_000_000)
{
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>Records the nonce; false when it was already seen within the window (a replay) or the guard is full.</summary>
    public bool TryAccept(string nonce)
    {
        long now = time.GetTimestamp();
        SweepIfDue(now);
        if (_seen.Count >= capacity)
        {
            return false;
        }

        return _seen.TryAdd(nonce, now);
    }

    private void SweepIfDue(long now)
    {
        long due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)(window.TotalSeconds * time.TimestampFrequency), due) != due)
        {
            return;
        }

        // A nonce older than twice the window can no longer pass the timestamp check (the timestamp can be at
        // most one window old when first seen), so forgetting it is safe.
        long horizon = now - (long)(2 * window.TotalSeconds * time.TimestampFrequency);
        foreach ((string nonce, long seenAt) in _seen)
        {
            if (seenAt < horizon)
            {
                _seen.TryRemove(nonce, out _);
            }
        }
    }
}
