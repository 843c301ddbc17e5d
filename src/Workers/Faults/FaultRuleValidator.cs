using ActorHost.Workers.Configuration;

namespace ActorHost.Workers.Faults;

/// <summary>Checks a <see cref="FaultRule"/>; yields (key, problem) pairs with HOCON key names.</summary>
internal static class FaultRuleValidator
{
    public static IEnumerable<(string Key, string Message)> Validate(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (string.IsNullOrEmpty(rule.Route))
        {
            yield return ("route", "a route glob is required (\"*\" for all)");
        }

        if (string.IsNullOrEmpty(rule.Worker))
        {
            yield return ("worker", "a worker glob is required (\"*\" for all)");
        }

        if (!Enum.IsDefined(rule.Point))
        {
            yield return ("point", "must be constructor, before-handle, after-bytes, on-write or hang");
        }

        if (rule.Nth < 0)
        {
            yield return ("nth", $"must not be negative (is {rule.Nth})");
        }

        if (rule.Every < 0)
        {
            yield return ("every", $"must not be negative (is {rule.Every})");
        }

        if (rule.Probability is { } probability && (probability is < 0 or > 1 || double.IsNaN(probability)))
        {
            yield return ("probability", $"must be between 0 and 1 (is {probability})");
        }

        int triggers = (rule.Nth > 0 ? 1 : 0) + (rule.Every > 0 ? 1 : 0) + (rule.Probability is not null ? 1 : 0);
        if (triggers > 1)
        {
            yield return ("nth", "set at most one of nth, every and probability");
        }

        if (rule.AfterBytes < 0)
        {
            yield return ("after-bytes", $"must not be negative (is {rule.AfterBytes})");
        }

        if (rule.ExitCode is < 0 or > 255)
        {
            yield return ("exit-code", $"must be between 0 and 255 (is {rule.ExitCode})");
        }

        if (rule.HangLimit <= TimeSpan.Zero)
        {
            yield return ("hang-limit", "must be positive");
        }
        else if (rule.HangLimit > FaultRule.MaxHangLimit)
        {
            // Longer than a timer can wait: the hang would fail with an unrelated argument error when it starts.
            yield return ("hang-limit", $"must be at most {FaultRule.MaxHangLimit.TotalDays:0} days (is {rule.HangLimit})");
        }

        if (rule.Point != FaultPoint.OnWrite)
        {
            if (rule.Exception is null)
            {
                // A rule built in code can carry a null despite the annotation; say which field, not "Value cannot be null".
                yield return ("exception", "an exception type name is required");
            }
            else if (!ExceptionTypes.TryResolve(rule.Exception, out Type? type, out string? problem))
            {
                yield return ("exception", problem);
            }
            else if (ExceptionFactory.ConstructorOf(type) is null)
            {
                yield return ("exception", $"{type.FullName} cannot be created (it needs a public constructor taking a message, or none)");
            }
        }
    }
}
