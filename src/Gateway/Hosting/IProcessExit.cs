namespace ActorHost.Gateway.Hosting;

/// <summary>Ends the process at once. An interface so tests can watch a root escalation without dying of it.</summary>
internal interface IProcessExit
{
    /// <summary>Ends the process with <paramref name="exitCode"/>; does not return in production.</summary>
    void Exit(int exitCode);
}
