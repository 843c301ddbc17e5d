using ActorHost.Workers.Configuration;

namespace ActorHost.Workers.Faults;

/// <summary>A rule that fired for one call: knows what to throw (or which code to exit with).</summary>
internal sealed class InjectedFault
{
    private readonly Action<int> _exit;

    public InjectedFault(int ruleId, FaultRule rule, Action<int> exit)
    {
        RuleId = ruleId;
        Rule = rule;
        _exit = exit;
    }

    public int RuleId { get; }

    public FaultRule Rule { get; }

    /// <summary>Exits the process when the rule says so; otherwise returns the exception to throw.</summary>
    public Exception Strike()
    {
        if (Rule.ExitCode != 0)
        {
            _exit(Rule.ExitCode);
        }

        return Rule.Point == FaultPoint.OnWrite ? new IOException(Rule.Message) : CreateException();
    }

    private Exception CreateException()
    {
        if (!ExceptionTypes.TryResolve(Rule.Exception, out Type? type, out string? problem))
        {
            // Validated when the rule was installed; reaching this means the type vanished, so fail loudly.
            return new InvalidOperationException($"Injected fault (rule {RuleId}): {problem}. {Rule.Message}");
        }

        return ExceptionFactory.Create(type, Rule.Message);
    }
}
