using ActorHost.Workers.Options;

namespace ActorHost.Workers.Events;

/// <summary>The lower-case words used for directives and stop reasons in logs, metric tags and config.</summary>
public static class Words
{
    /// <summary>resume | restart | stop | escalate.</summary>
    public static string Of(SupervisionDirective directive) => directive switch
    {
        SupervisionDirective.Resume => "resume",
        SupervisionDirective.Restart => "restart",
        SupervisionDirective.Stop => "stop",
        SupervisionDirective.Escalate => "escalate",
        _ => directive.ToString(),
    };

    /// <summary>stopped | passivated | shutdown.</summary>
    public static string Of(WorkerStopReason reason) => reason switch
    {
        WorkerStopReason.Stopped => "stopped",
        WorkerStopReason.Passivated => "passivated",
        WorkerStopReason.Shutdown => "shutdown",
        _ => reason.ToString(),
    };
}
