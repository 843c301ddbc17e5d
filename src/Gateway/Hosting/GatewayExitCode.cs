namespace ActorHost.Gateway.Hosting;

/// <summary>The code the process exits with once the host has stopped: 0 unless something set another.</summary>
internal sealed class GatewayExitCode
{
    /// <summary>A clean stop.</summary>
    public const int CleanStop = 0;

    /// <summary>Configuration problems found before anything listened (EX_CONFIG).</summary>
    public const int BadConfiguration = 78;

    /// <summary>
    /// The command line was wrong (EX_USAGE): an unknown option, a missing value. Not 1, which means "could not
    /// start" and which a process supervisor retries; retrying a mistyped command only fails again.
    /// </summary>
    public const int UsageError = 64;

    /// <summary>The gateway could not start (e.g. a listen address was in use).</summary>
    public const int StartFailed = 1;

    private int _value;

    public int Value => Volatile.Read(ref _value);

    /// <summary>Sets the code; the first non-zero code set wins.</summary>
    public void Set(int code) => Interlocked.CompareExchange(ref _value, code, 0);
}
