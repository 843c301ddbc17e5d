using ActorHost.Hocon;

namespace ActorHost.Workers.Configuration;

/// <summary>One thing wrong with the configuration.</summary>
/// <param name="Path">The config path, e.g. <c>actorhost.routes.echo.worker</c>.</param>
/// <param name="Message">What is wrong, in words a user can act on.</param>
/// <param name="Origin">Where the value was defined (file:line:column), when known.</param>
public sealed record ConfigProblem(string Path, string Message, string? Origin = null)
{
    /// <summary><c>file:line:column: path: message</c>.</summary>
    public override string ToString() => Origin is null ? $"{Path}: {Message}" : $"{Origin}: {Path}: {Message}";

    /// <summary>
    /// Where the value at <paramref name="path"/> was written (<c>file:line:column</c>), for a problem's
    /// <see cref="Origin"/>; null when the path is not in <paramref name="config"/> or its value was set in code.
    /// </summary>
    public static string? OriginOf(Config config, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Find(path)?.Origin is { } origin && origin != HoconOrigin.Code ? origin.ToString() : null;
    }
}
