using ActorHost.Cluster.Forwarding;
using ActorHost.Cluster.Tests.Forwarding.Support;

namespace ActorHost.Cluster.Tests.Forwarding;

public class ReplayGuardTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new();

    /// <summary>A timestamp as a sender would sign it now, optionally skewed.</summary>
    private long Stamp(TimeSpan skew = default) => (_clock.GetUtcNow() + skew).ToUnixTimeMilliseconds();

    [Fact]
    public void A_nonce_is_accepted_once()
    {
        var guard = new ReplayGuard(Window, _clock);
        long now = Stamp();

        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("a", now));
        Assert.Equal(ReplayVerdict.Replayed, guard.TryAccept("a", now));
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("b", now));
    }

    [Fact]
    public void Nonces_are_compared_exactly()
    {
        var guard = new ReplayGuard(Window, _clock);

        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("abc", Stamp()));
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("ABC", Stamp()));
    }

    [Fact]
    public void A_nonce_is_remembered_for_as_long_as_its_timestamp_could_pass()
    {
        // Signed as far ahead as the window allows: its timestamp passes for two windows.
        var guard = new ReplayGuard(Window, _clock);
        long stamp = Stamp(Window);
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("a", stamp));

        _clock.Advance(Window * 1.5);
        Assert.Equal(ReplayVerdict.Replayed, guard.TryAccept("a", stamp));
        _clock.Advance(Window / 2);
        Assert.Equal(ReplayVerdict.Replayed, guard.TryAccept("a", stamp));
    }

    [Fact]
    public void A_nonce_whose_timestamp_can_no_longer_pass_is_forgotten_so_memory_does_not_grow()
    {
        var guard = new ReplayGuard(Window, _clock, capacity: 1);
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("a", Stamp()));
        Assert.Equal(ReplayVerdict.Full, guard.TryAccept("b", Stamp()));

        _clock.Advance(Window * 1.5);

        // "a" is gone (the guard has room again) ...
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("b", Stamp()));
    }

    [Fact]
    public void A_full_guard_refuses_new_nonces_until_old_ones_expire()
    {
        var guard = new ReplayGuard(Window, _clock, capacity: 2);
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("a", Stamp()));
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("b", Stamp()));

        Assert.Equal(ReplayVerdict.Full, guard.TryAccept("c", Stamp()));

        _clock.Advance(Window * 3);
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("c", Stamp()));
    }

    [Fact]
    public void A_forgotten_nonce_cannot_come_back_when_the_wall_clock_steps_back()
    {
        var guard = new ReplayGuard(Window, _clock);
        long stamp = Stamp();
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("a", stamp));

        // 2.5 windows on: "a" is forgotten by the next sweep, which a new request triggers.
        _clock.Advance(Window * 2.5);
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("b", Stamp()));

        // The wall clock steps back two windows, so that "a"'s timestamp passes the verifier's check again.
        _clock.StepWallClock(-Window * 2);
        Assert.Equal(ReplayVerdict.BeforeHorizon, guard.TryAccept("a", stamp));

        // A request signed on the (now earlier) clock is still served.
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("c", Stamp()));
    }

    [Fact]
    public void A_steady_rate_of_fresh_requests_that_fits_in_one_window_is_never_refused_as_full()
    {
        // Capacity 100 per 10 s window; 8 fresh requests a second = 80 per window, well within it. Swept once per
        // window, expired nonces stayed up to two windows and the guard refused about half of them as full.
        TimeSpan window = TimeSpan.FromSeconds(10);
        var guard = new ReplayGuard(window, _clock, capacity: 100);
        var refused = new List<string>();
        for (int request = 0; request < 480; request++)
        {
            ReplayVerdict verdict = guard.TryAccept("n" + request.ToString(System.Globalization.CultureInfo.InvariantCulture), Stamp());
            if (verdict != ReplayVerdict.Accepted)
            {
                refused.Add($"{request}: {verdict}");
            }

            _clock.Advance(TimeSpan.FromMilliseconds(125));
        }

        Assert.True(refused.Count == 0, $"{refused.Count} of 480 fresh, unique requests refused, e.g. {string.Join(", ", refused.Take(5))}");
    }

    [Fact]
    public void A_full_guard_sweeps_at_once_so_a_request_after_the_oldest_expired_is_accepted()
    {
        // "a" was signed almost a window ago: it can pass for one more second only.
        var guard = new ReplayGuard(Window, _clock, capacity: 2);
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("a", Stamp(-Window + TimeSpan.FromSeconds(1))));
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("b", Stamp()));
        Assert.Equal(ReplayVerdict.Full, guard.TryAccept("c", Stamp()));

        // Just past "a"'s expiry, long before the next periodic sweep is due: the full guard makes room itself.
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(ReplayVerdict.Accepted, guard.TryAccept("c", Stamp()));
        Assert.Equal(ReplayVerdict.Replayed, guard.TryAccept("b", Stamp()));
    }
}
