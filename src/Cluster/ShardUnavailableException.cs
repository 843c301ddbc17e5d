namespace ActorHost.Cluster;

/// <summary>No node served the request's shard within <c>handoff-timeout</c>; the client got 503 with Retry-After.</summary>
public sealed class ShardUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ShardUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ShardUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ShardUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
