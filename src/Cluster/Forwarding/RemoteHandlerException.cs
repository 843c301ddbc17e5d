namespace ActorHost.Cluster.Forwarding;

/// <summary>
/// A failure that happened on the node owning the entity, as reported back to the node that received the
/// request: the original exception type and message (the stack trace stays in the owner's log).
/// </summary>
public sealed class RemoteHandlerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteHandlerException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public RemoteHandlerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RemoteHandlerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a failure on <paramref name="node"/>.</summary>
    /// <param name="node">The owner node's id.</param>
    /// <param name="exceptionType">The original exception's full type name.</param>
    /// <param name="message">The original message.</param>
    public RemoteHandlerException(string? node, string? exceptionType, string? message)
        : base($"{exceptionType ?? "Exception"} on node {node ?? "?"}: {message}")
    {
        Node = node;
        ExceptionType = exceptionType;
    }

    /// <summary>The node where the handler failed.</summary>
    public string? Node { get; }

    /// <summary>The original exception's full type name.</summary>
    public string? ExceptionType { get; }
}
