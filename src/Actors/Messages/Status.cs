namespace ActorHost.Actors;

/// <summary>Conventional replies: an Ask answered with a <see cref="Status.Failure"/> faults with its exception.</summary>
public abstract record Status
{
    private Status()
    {
    }

    /// <summary>A successful reply carrying an optional value.</summary>
    /// <param name="Value">The value.</param>
#pragma warning disable CA1034 // Akka's shape: Status.Success / Status.Failure read well at call sites.
    public sealed record Success(object? Value) : Status;

    /// <summary>A failed reply; an Ask that receives it faults with <paramref name="Cause"/>.</summary>
    /// <param name="Cause">The failure.</param>
    public sealed record Failure(Exception Cause) : Status;
#pragma warning restore CA1034
}
