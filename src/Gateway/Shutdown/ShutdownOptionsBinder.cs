using ActorHost.Hocon;
using ActorHost.Workers.Configuration;

namespace ActorHost.Gateway.Shutdown;

/// <summary>Binds <see cref="ShutdownOptions"/> from <c>actorhost.shutdown</c>, reporting every bad value with file:line.</summary>
internal static class ShutdownOptionsBinder
{
    /// <summary>No phase may be infinite or longer than this: a shutdown that never ends is a hang.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    public static (ShutdownOptions Options, IReadOnlyList<ConfigProblem> Problems) Bind(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<ConfigProblem>();
        var defaults = new ShutdownOptions();
        var options = new ShutdownOptions
        {
            DrainDelay = Duration(config, "actorhost.shutdown.drain-delay", defaults.DrainDelay, problems),
            Grace = Duration(config, "actorhost.shutdown.grace", defaults.Grace, problems),
            Mercy = Duration(config, "actorhost.shutdown.mercy", defaults.Mercy, problems),
            StopWorkers = Duration(config, "actorhost.shutdown.stop-workers", defaults.StopWorkers, problems),
            Leave = Duration(config, "actorhost.shutdown.leave", defaults.Leave, problems),
        };
        return (options, problems);
    }

    private static TimeSpan Duration(Config config, string path, TimeSpan fallback, List<ConfigProblem> problems)
    {
        if (!config.HasPath(path))
        {
            return fallback;
        }

        try
        {
            TimeSpan value = config.GetDuration(path);
            if (value < TimeSpan.Zero || value == Timeout.InfiniteTimeSpan || value > Longest)
            {
                problems.Add(new ConfigProblem(path, "must be a finite duration between 0s and 1h (the shutdown must end)", ConfigProblem.OriginOf(config, path)));
                return fallback;
            }

            return value;
        }
        catch (HoconException e)
        {
            problems.Add(new ConfigProblem(path, e.Detail, e.Origin?.ToString() ?? ConfigProblem.OriginOf(config, path)));
            return fallback;
        }
    }
}
