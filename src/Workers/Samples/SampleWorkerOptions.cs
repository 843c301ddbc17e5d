namespace ActorHost.Workers.Samples;

/// <summary>Options of the sample workers (<c>actorhost.samples</c>).</summary>
public sealed record SampleWorkerOptions
{
    /// <summary>
    /// When set (<c>actorhost.samples.stop-marker-dir</c>), every sample worker writes a file here when an
    /// incarnation stops (its <c>OnStopped</c> ran) — the observable side effect shutdown tests check.
    /// </summary>
    public string? StopMarkerDirectory { get; init; }
}
