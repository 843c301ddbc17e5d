namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>
/// The base of every error this library reports: parse, include and resolve errors, missing settings and
/// wrong types. When the error has an origin, the message starts with <c>file:line:column: </c>.
/// </summary>
internal class HoconException : Exception
{
    /// <summary>Creates an exception without an origin.</summary>
    public HoconException()
        : this(null, "HOCON error")
    {
    }

    /// <summary>Creates an exception without an origin.</summary>
    /// <param name="message">What went wrong.</param>
    public HoconException(string message)
        : this(null, message)
    {
    }

    /// <summary>Creates an exception without an origin, wrapping another one.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public HoconException(string message, Exception innerException)
        : this(null, message, innerException)
    {
    }

    /// <summary>Creates an exception whose message is prefixed with <paramref name="origin"/>.</summary>
    /// <param name="origin">Where the problem is, or null when it has no place in a file.</param>
    /// <param name="detail">What went wrong and what was expected.</param>
    /// <param name="innerException">The cause, if any.</param>
    public HoconException(HoconOrigin? origin, string detail, Exception? innerException = null)
        : base(origin is null ? detail : $"{origin}: {detail}", innerException)
    {
        Origin = origin;
        Detail = detail;
    }

    /// <summary>Where the problem is; null when it has no place in a file.</summary>
    public HoconOrigin? Origin { get; }

    /// <summary>The message without the origin prefix.</summary>
    public string Detail { get; }
}
