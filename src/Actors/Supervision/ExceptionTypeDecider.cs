namespace ActorHost.Actors;

/// <summary>
/// Decides by exception type: most specific matching class wins, then base classes, then the default.
/// Public so that configuration code can show what it built.
/// </summary>
public sealed class ExceptionTypeDecider : IDecider
{
    private readonly Dictionary<Type, Directive> _rules = [];

    /// <summary>Creates the decider; see <see cref="Decider.From(Directive, IEnumerable{KeyValuePair{Type, Directive}})"/>.</summary>
    /// <exception cref="ArgumentException">A type is not an <see cref="Exception"/> type, or appears twice.</exception>
    public ExceptionTypeDecider(Directive defaultDirective, IEnumerable<KeyValuePair<Type, Directive>> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        DefaultDirective = defaultDirective;
        foreach (var (type, directive) in rules)
        {
            if (type is null || !typeof(Exception).IsAssignableFrom(type))
            {
                throw new ArgumentException($"Decider rule type \"{type?.FullName ?? "null"}\" is not an Exception type.", nameof(rules));
            }

            if (!Enum.IsDefined(directive))
            {
                throw new ArgumentException($"Decider rule for {type.FullName} has an undefined directive {(int)directive}.", nameof(rules));
            }

            if (!_rules.TryAdd(type, directive))
            {
                throw new ArgumentException($"Decider has two rules for {type.FullName}.", nameof(rules));
            }
        }
    }

    /// <summary>The directive for exceptions that match no rule.</summary>
    public Directive DefaultDirective { get; }

    /// <summary>The rules, by exception type.</summary>
    public IReadOnlyDictionary<Type, Directive> Rules => _rules;

    /// <inheritdoc />
    public Directive Decide(Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        for (var type = cause.GetType(); type is not null; type = type.BaseType)
        {
            if (_rules.TryGetValue(type, out var directive))
            {
                return directive;
            }
        }

        return DefaultDirective;
    }
}
