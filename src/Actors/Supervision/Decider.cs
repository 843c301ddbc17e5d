namespace ActorHost.Actors;

/// <summary>Builds <see cref="IDecider"/>s.</summary>
public static class Decider
{
    /// <summary>
    /// Akka's default decider: <see cref="ActorInitializationException"/>, <see cref="ActorKilledException"/>
    /// and <see cref="DeathPactException"/> → <see cref="Directive.Stop"/>; every other exception →
    /// <see cref="Directive.Restart"/>.
    /// </summary>
    public static IDecider Default { get; } = From(
        Directive.Restart,
        (typeof(ActorInitializationException), Directive.Stop),
        (typeof(ActorKilledException), Directive.Stop),
        (typeof(DeathPactException), Directive.Stop));

    /// <summary>
    /// A decider from exception-type rules: the rule for the most specific type in the exception's class
    /// hierarchy wins (the exception's own type, then its base types in order); an exception matching no rule
    /// gets <paramref name="defaultDirective"/>. Interfaces are not considered.
    /// </summary>
    /// <exception cref="ArgumentException">A type is not an <see cref="Exception"/> type, or appears twice.</exception>
    public static IDecider From(Directive defaultDirective, params (Type ExceptionType, Directive Directive)[] rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return new ExceptionTypeDecider(defaultDirective, rules.Select(r => new KeyValuePair<Type, Directive>(r.ExceptionType, r.Directive)));
    }

    /// <summary>The same as <see cref="From(Directive, ValueTuple{Type, Directive}[])"/>, for rules built at run time (e.g. from HOCON).</summary>
    /// <exception cref="ArgumentException">A type is not an <see cref="Exception"/> type, or appears twice.</exception>
    public static IDecider From(Directive defaultDirective, IEnumerable<KeyValuePair<Type, Directive>> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return new ExceptionTypeDecider(defaultDirective, rules);
    }

    /// <summary>A decider from a function.</summary>
    public static IDecider From(Func<Exception, Directive> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return new FunctionDecider(decide);
    }

    private sealed class FunctionDecider(Func<Exception, Directive> decide) : IDecider
    {
        public Directive Decide(Exception cause) => decide(cause);
    }
}
