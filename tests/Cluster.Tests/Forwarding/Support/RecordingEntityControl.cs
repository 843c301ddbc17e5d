using ActorHost.Workers;

namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>Records the key selectors it was asked to stop, and whether the dispatch gate was left by then.</summary>
public sealed class RecordingEntityControl : IEntityControl
{
    private readonly List<Func<string, bool>> _calls = [];

    private volatile bool _gateLeft;

    /// <summary>Set by the test just before it leaves the dispatch gate.</summary>
    public bool GateLeft
    {
        get => _gateLeft;
        set => _gateLeft = value;
    }

    public TaskCompletionSource? Completion { get; init; }

    public bool CalledAfterGateLeft { get; private set; }

    public IReadOnlyList<Func<string, bool>> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public Task StopEntitiesAsync(Func<string, bool> keyMatches, CancellationToken cancellationToken)
    {
        lock (_calls)
        {
            _calls.Add(keyMatches);
            CalledAfterGateLeft = GateLeft;
        }

        return Completion?.Task ?? Task.CompletedTask;
    }

    public Task StopEntitiesWithNoticeAsync(Func<string, bool> keyMatches, TimeSpan cancelAfter, CancellationToken cancellationToken) =>
        StopEntitiesAsync(keyMatches, cancellationToken);
}
