namespace ActorHost.Actors;

/// <summary>Configuration of a <see cref="BackoffSupervisor"/>.</summary>
public sealed class BackoffOptions
{
    /// <summary>Creates the options.</summary>
    /// <param name="childProps">How to build the child.</param>
    /// <param name="childName">The child's name.</param>
    /// <param name="minBackoff">Delay before the first re-creation.</param>
    /// <param name="maxBackoff">Upper bound of the delay (it doubles per consecutive re-creation).</param>
    /// <param name="randomFactor">Jitter: the delay is multiplied by 1 + random(0, randomFactor). 0 = none.</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public BackoffOptions(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor)
    {
        ArgumentNullException.ThrowIfNull(childProps);
        ActorName.Validate(childName, allowReserved: false);
        ArgumentOutOfRangeException.ThrowIfLessThan(minBackoff, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBackoff, minBackoff);
        if (double.IsNaN(randomFactor) || randomFactor < 0 || randomFactor > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(randomFactor), randomFactor, "randomFactor must be within [0, 1].");
        }

        ChildProps = childProps;
        ChildName = childName;
        MinBackoff = minBackoff;
        MaxBackoff = maxBackoff;
        RandomFactor = randomFactor;
    }

    /// <summary>How to build the child.</summary>
    public Props ChildProps { get; }

    /// <summary>The child's name.</summary>
    public string ChildName { get; }

    /// <summary>Delay before the first re-creation.</summary>
    public TimeSpan MinBackoff { get; }

    /// <summary>Upper bound of the delay.</summary>
    public TimeSpan MaxBackoff { get; }

    /// <summary>Jitter factor in [0, 1].</summary>
    public double RandomFactor { get; }

    /// <summary>What triggers a delayed re-creation (default <see cref="BackoffTrigger.OnFailure"/>).</summary>
    public BackoffTrigger Trigger { get; init; } = BackoffTrigger.OnFailure;

    /// <summary>
    /// After the child has run this long without failing or stopping, the delay goes back to
    /// <see cref="MinBackoff"/>. <see langword="null"/> = <see cref="MinBackoff"/> (Akka's auto reset).
    /// </summary>
    public TimeSpan? ResetBackoffAfter { get; init; }

    /// <summary>Consecutive re-creations allowed (since the last reset) before the backoff supervisor gives up and stops itself; -1 = unlimited.</summary>
    public int MaxNrOfRetries { get; init; } = -1;

    /// <summary>How the child's failures are decided (default <see cref="Decider.Default"/>).</summary>
    public IDecider Decider { get; init; } = Actors.Decider.Default;

    /// <summary>Source of jitter (default <see cref="System.Random.Shared"/>); set a seeded one for reproducible delays.</summary>
    public Random? Random { get; init; }
}
