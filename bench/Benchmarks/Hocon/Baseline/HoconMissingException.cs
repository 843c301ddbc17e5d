namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>A setting was asked for that does not exist (or is null).</summary>
internal sealed class HoconMissingException : HoconException
{
    /// <summary>Creates the exception.</summary>
    public HoconMissingException()
    {
        Path = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public HoconMissingException(string message)
        : base(message)
    {
        Path = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public HoconMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
    }

    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    /// <param name="origin">The origin of the deepest object that does exist on the path, if any.</param>
    /// <param name="path">The setting's path.</param>
    /// <param name="detail">What was found instead.</param>
    public HoconMissingException(HoconOrigin? origin, string path, string detail)
        : base(origin, detail)
    {
        Path = path;
    }

    /// <summary>The setting's path.</summary>
    public string Path { get; }
}
