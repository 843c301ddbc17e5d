using ActorHost.Workers.Configuration;
using ActorHost.Workers.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ActorHost.Workers.Faults;

/// <summary>A rule that fired for one call: knows what to throw (or which code to exit with).</summary>
internal sealed class InjectedFault
{
    private readonly Action<int> _exit;
    private readonly ILogger _log;
    private readonly string _route;
    private readonly string _path;

    public InjectedFault(int ruleId, FaultRule rule, Action<int> exit, ILogger log, string route, string path)
    {
        RuleId = ruleId;
        Rule = rule;
        _exit = exit;
        _log = log;
        _route = route;
        _path = path;
    }

    public int RuleId { get; }

    public FaultRule Rule { get; }

    /// <summary>Exits the process when the rule says so; otherwise returns the exception to throw.</summary>
    public Exception Strike()
    {
        if (Rule.ExitCode != 0)
        {
            // The last word of a process that ends on purpose: without it the log stops mid-request with no reason.
            string point = ConfigWords.ToWord(Rule.Point);
            WorkerLog.InjectedExit(_log, RuleId, Rule.ExitCode, point, _path, _route);
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
