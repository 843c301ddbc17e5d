using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Hosting;

/// <summary>Exits the real process, after flushing the console log so the Critical line is not lost.</summary>
internal sealed class EnvironmentProcessExit(IEnumerable<ILoggerProvider> loggerProviders) : IProcessExit
{
    public void Exit(int exitCode)
    {
        // Logger providers queue lines on a background thread; disposing them drains the queue.
        foreach (ILoggerProvider provider in loggerProviders)
        {
            provider.Dispose();
        }

        Console.Out.Flush();
        Console.Error.Flush();
        Environment.Exit(exitCode);
    }
}
