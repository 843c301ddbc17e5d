namespace ActorHost.Actors;

/// <summary>The directive applies to every child of the supervisor (except Resume, which resumes only the failed child, as in Akka). A restart needs every child to be within its restart budget; otherwise all children are stopped.</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>Creates the strategy with a restart budget.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed within the window; -1 = unlimited.</param>
    /// <param name="withinTimeRange">The window; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> = infinite.</param>
    /// <param name="decider">Maps exceptions to directives.</param>
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, IDecider decider)
        : base(maxNrOfRetries, withinTimeRange, decider)
    {
    }

    /// <summary>Creates the strategy with a restart budget and a decider function.</summary>
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, Actors.Decider.From(decider))
    {
    }

    /// <summary>Creates the strategy with unlimited restarts.</summary>
    public AllForOneStrategy(IDecider decider)
        : base(-1, null, decider)
    {
    }

    /// <summary>Creates the strategy with unlimited restarts and a decider function.</summary>
    public AllForOneStrategy(Func<Exception, Directive> decider)
        : base(-1, null, Actors.Decider.From(decider))
    {
    }

    internal override bool AppliesToAllChildren => true;
}
