namespace ActorHost.Workers;

/// <summary>
/// Thrown by a handler to reject bad client input (invalid JSON, unknown action, …). The client gets the
/// given 4xx status as <c>application/problem+json</c> and the outcome is <c>client_error</c>: this is
/// never a worker failure and never restarts anyone.
/// </summary>
public sealed class ClientInputException : Exception
{
    /// <summary>Creates a 400 Bad Request rejection.</summary>
    public ClientInputException()
        : this(400, "Bad request.")
    {
    }

    /// <summary>Creates a 400 Bad Request rejection with a detail for the client.</summary>
    /// <param name="message">The detail shown to the client.</param>
    public ClientInputException(string message)
        : this(400, message)
    {
    }

    /// <summary>Creates a 400 Bad Request rejection with a detail for the client and the underlying cause.</summary>
    /// <param name="message">The detail shown to the client.</param>
    /// <param name="innerException">What made the input unacceptable.</param>
    public ClientInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = 400;
    }

    /// <summary>Creates a rejection with a chosen 4xx status.</summary>
    /// <param name="statusCode">A status from 400 to 499.</param>
    /// <param name="message">The detail shown to the client.</param>
    public ClientInputException(int statusCode, string message)
        : base(message)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 499);
        StatusCode = statusCode;
    }

    /// <summary>The 4xx status the client receives.</summary>
    public int StatusCode { get; }
}
