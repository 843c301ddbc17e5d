namespace ActorHost.Workers.Configuration;

/// <summary>One thing wrong with the configuration.</summary>
/// <param name="Path">The config path, e.g. <c>actorhost.routes.echo.worker</c>.</param>
/// <param name="Message">What is wrong, in words a user can act on.</param>
/// <param name="Origin">Where the value was defined (file:line), when known.</param>
public sealed record ConfigProblem(string Path, string Message, string? Origin = null)
{
    /// <summary><c>file:line: path: message</c>.</summary>
    public override string ToString() => Origin is null ? $"{Path}: {Message}" : $"{Origin}: {Path}: {Message}";
}
