namespace ActorHost.Gateway.Tests.Infrastructure;

/// <summary>Stands in for the real process exit so a test can see a root escalation without dying of it.</summary>
internal sealed class RecordingProcessExit : Hosting.IProcessExit
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<int> Exited => _exited.Task;

    public void Exit(int exitCode) => _exited.TrySetResult(exitCode);
}
