namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>A setting exists but cannot be read as the type asked for.</summary>
internal sealed class HoconWrongTypeException : HoconException
{
    /// <summary>Creates the exception.</summary>
    public HoconWrongTypeException()
    {
        Path = string.Empty;
        ExpectedType = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public HoconWrongTypeException(string message)
        : base(message)
    {
        Path = string.Empty;
        ExpectedType = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public HoconWrongTypeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
        ExpectedType = string.Empty;
    }

    /// <summary>Creates the exception for the value at <paramref name="path"/>.</summary>
    /// <param name="origin">Where the value was defined.</param>
    /// <param name="path">The setting's path.</param>
    /// <param name="expectedType">The type the caller asked for.</param>
    /// <param name="detail">Why the value does not fit.</param>
    public HoconWrongTypeException(HoconOrigin? origin, string path, string expectedType, string detail)
        : base(origin, $"'{path}': expected {expectedType}, {detail}")
    {
        Path = path;
        ExpectedType = expectedType;
    }

    /// <summary>The setting's path.</summary>
    public string Path { get; }

    /// <summary>The type the caller asked for (for example <c>duration</c>).</summary>
    public string ExpectedType { get; }
}
