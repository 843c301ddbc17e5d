namespace ActorHost.Actors;

/// <summary>A guardian (/, /user, /system): only supervises; its strategy is given.</summary>
internal sealed class GuardianActor(SupervisorStrategy strategy) : UntypedActor
{
    protected override void OnReceive(object message) => Unhandled(message);

    protected override SupervisorStrategy SupervisorStrategy() => strategy;

    // Guardians keep their children on restart (a restart of /user must not silently stop the whole app).
    protected override void PreRestart(Exception reason, object? message)
    {
    }
}
