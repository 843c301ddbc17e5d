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

    /// <summary>The guard is full (a flood within one window).</summary>
    Full,
}

/// <summary>
/// Remembers the nonces of accepted internal requests for as long as their timestamps could still pass the
/// verifier's check, so a captured request cannot be sent again. Bounded: once full, further requests are
/// refused rather than letting memory grow (the window is short, so this only happens under a flood).
/// </summary>
/// <remarks>
/// Kept on the clock of that check, the wall clock: a nonce is forgotten once its timestamp plus the window is
/// in the past. A clock can step back, though (an NTP correction, a VM restored from a snapshot), and make a
/// forgotten timestamp pass again. So the guard also keeps a horizon, the latest expiry it has forgotten, and
/// refuses any request whose own expiry is not after it. On a clock that only moves forward, no request that
/// passes the timestamp check is ever behind the horizon.
/// </remarks>
internal sealed class ReplayGuard(TimeSpan window, TimeProvider time, int capacity = 1_000_000)
{
    private readonly long _windowMs = (long)window.TotalMilliseconds;

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

        if (_seen.Count >= capacity)
        {
            return ReplayVerdict.Full;
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
        // Due once per window; also at once when the clock has stepped back by more than a window, so that a
        // step does not hold back the sweep for as long as it went back.
        long due = Interlocked.Read(ref _nextSweep);
        if ((now < due && due - now <= _windowMs) || Interlocked.CompareExchange(ref _nextSweep, now + _windowMs, due) != due)
        {
            return;
        }

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
