using ActorHost.Cluster.Forwarding;
using ActorHost.Cluster.Tests.Forwarding.Support;

namespace ActorHost.Cluster.Tests.Forwarding;

public class ReplayGuardTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new();

    [Fact]
    public void A_nonce_is_accepted_once()
    {
        var guard = new ReplayGuard(Window, _clock);

        Assert.True(guard.TryAccept("a"));
        Assert.False(guard.TryAccept("a"));
        Assert.True(guard.TryAccept("b"));
    }

    [Fact]
    public void Nonces_are_compared_exactly()
    {
        var guard = new ReplayGuard(Window, _clock);

        Assert.True(guard.TryAccept("abc"));
        Assert.True(guard.TryAccept("ABC"));
    }

    [Fact]
    public void A_nonce_is_still_remembered_within_two_windows()
    {
        var guard = new ReplayGuard(Window, _clock);
        Assert.True(guard.TryAccept("a"));

        _clock.Advance(Window * 1.5);
        Assert.False(guard.TryAccept("a"));
        _clock.Advance(Window / 2);
        Assert.False(guard.TryAccept("a"));
    }

    [Fact]
    public void A_nonce_older_than_two_windows_is_forgotten_so_memory_does_not_grow()
    {
        var guard = new ReplayGuard(Window, _clock);
        Assert.True(guard.TryAccept("a"));

        _clock.Advance(Window * 3);

        Assert.True(guard.TryAccept("a"));
    }

    [Fact]
    public void A_full_guard_refuses_new_nonces_until_old_ones_expire()
    {
        var guard = new ReplayGuard(Window, _clock, capacity: 2);
        Assert.True(guard.TryAccept("a"));
        Assert.True(guard.TryAccept("b"));

        Assert.False(guard.TryAccept("c"));

        _clock.Advance(Window * 3);
        Assert.True(guard.TryAccept("c"));
    }
}
