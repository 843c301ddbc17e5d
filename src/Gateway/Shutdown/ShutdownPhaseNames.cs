namespace ActorHost.Gateway.Shutdown;

/// <summary>The names phases have in the log, the configuration and the README.</summary>
internal static class ShutdownPhaseNames
{
    public static string Name(this ShutdownPhase phase) => phase switch
    {
        ShutdownPhase.Leave => "leave",
        ShutdownPhase.DrainDelay => "drain-delay",
        ShutdownPhase.StopAccepting => "stop-accepting",
        ShutdownPhase.Grace => "grace",
        ShutdownPhase.Mercy => "mercy",
        ShutdownPhase.StopWorkers => "stop-workers",
        ShutdownPhase.Stopped => "stopped",
        _ => "running",
    };
}
