using System.Collections.Concurrent;

namespace ActorHost.Cluster.Forwarding;

/// <summary>What <see cref="ReplayGuard.TryAccept"/> decided.</summary>
internal enum ReplayVerdict
{
    /// <summary>First time seen: accepted and remembered.</summary>
    Accepted,

    /// <summary>Seen before, and its timestamp could still pass: a replay.</summary>
    Replayed,

    /// <summary>
    /// Its timestamp is no later than those of nonces already forgotten, so whether it was seen cannot be told:
    /// refused. Only happens when this node's wall clock has stepped back.
    /// </summary>
    BeforeHorizon,

    /// <summary>The guard is full: more than its capacity of requests within one window (a flood).</summary>
    Full,
}

/// <summary>
/// Remembers the nonces of accepted internal requests for as long as their timestamps could still pass the
/// verifier's check, so a captured request cannot be sent again. Bounded: once full, further requests are
/// refused rather than letting memory grow. Expired nonces are swept every quarter window, and at once when the
/// guard is full, so it is full only when more than <c>capacity</c> requests were accepted within one window
/// (a flood), never because expired nonces were still held.
/// </summary>
/// <remarks>
/// Kept on the clock of that check, the wall clock: a nonce is forgotten once its timestamp plus the window is
/// in the past. A clock can step back, though (an NTP correction, a VM restored from a snapshot), and make a
/// forgotten timestamp pass again. So the guard also keeps a horizon, the latest expiry it has forgotten, and
/// refuses any request whose own expiry is not after it. On a clock that only moves forward, no request that
/// passes the timestamp check is ever behind the horizon.
/// </remarks>
internal sealed class ReplayGuard(TimeSpan window, TimeProvider time, int capacity = ReplayGuard.DefaultCapacity)
{
    /// <summary>How many nonces the verifier's guard remembers at most (within one <c>replay-window</c>).</summary>
    public const int DefaultCapacity = 1_000_000;

    private readonly long _windowMs = (long)window.TotalMilliseconds;

    // Periodic sweeps keep a nonce at most a quarter window past its expiry; a full guard sweeps at once, but not
    // more often than every hundredth of a window, so a flood cannot make every request walk the whole table.
    private readonly long _sweepEveryMs = Math.Max(1, (long)window.TotalMilliseconds / 4);
    private readonly long _fullSweepGapMs = Math.Max(1, (long)window.TotalMilliseconds / 100);
    private long _lastSweep = long.MinValue;

    // Nonce -> the wall-clock time (Unix ms) until which its timestamp passes: timestamp + window.
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private long _horizon = long.MinValue;
    private long _nextSweep;

    /// <summary>Decides about the nonce of a request whose timestamp passed the check, and remembers it if accepted.</summary>
    /// <param name="nonce">The request's nonce.</param>
    /// <param name="timestampMs">The request's signed timestamp, Unix milliseconds.</param>
    public ReplayVerdict TryAccept(string nonce, long timestampMs)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        SweepIfDue(now);
        long passesUntil = timestampMs + _windowMs;
        if (passesUntil <= Volatile.Read(ref _horizon))
        {
            return ReplayVerdict.BeforeHorizon;
        }

        if (_seen.Count >= capacity && (!SweepWhenFull(now) || _seen.Count >= capacity))
        {
            // A replay is still called one when the guard is full.
            return _seen.ContainsKey(nonce) ? ReplayVerdict.Replayed : ReplayVerdict.Full;
        }

        if (!_seen.TryAdd(nonce, passesUntil))
        {
            return ReplayVerdict.Replayed;
        }

        // A sweep may have forgotten an earlier copy between the horizon check above and the add: it raised the
        // horizon before removing that copy, so the horizon read now tells.
        if (passesUntil <= Volatile.Read(ref _horizon))
        {
            _seen.TryRemove(nonce, out _);
            return ReplayVerdict.BeforeHorizon;
        }

        return ReplayVerdict.Accepted;
    }

    private void SweepIfDue(long now)
    {
        // Due every quarter window; also at once when the clock has stepped back by more than that, so that a
        // step does not hold back the sweep for as long as it went back.
        long due = Interlocked.Read(ref _nextSweep);
        if ((now < due && due - now <= _sweepEveryMs) || Interlocked.CompareExchange(ref _nextSweep, now + _sweepEveryMs, due) != due)
        {
            return;
        }

        Sweep(now);
    }

    /// <summary>Sweeps now unless a sweep ran very recently (or another thread is sweeping); true if it swept.</summary>
    private bool SweepWhenFull(long now)
    {
        long last = Interlocked.Read(ref _lastSweep);
        if ((now >= last && now - last < _fullSweepGapMs) || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return false;
        }

        Sweep(now);
        return true;
    }

    private void Sweep(long now)
    {
        Interlocked.Exchange(ref _lastSweep, now);
        foreach ((string nonce, long passesUntil) in _seen)
        {
            if (passesUntil < now)
            {
                // Raised before the nonce goes: a request checked meanwhile is refused rather than let through.
                RaiseHorizon(passesUntil);
                _seen.TryRemove(nonce, out _);
            }
        }
    }

    private void RaiseHorizon(long to)
    {
        long current = Volatile.Read(ref _horizon);
        while (to > current)
        {
            long seen = Interlocked.CompareExchange(ref _horizon, to, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
