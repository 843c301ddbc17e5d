using ActorHost.Actors;

namespace ActorHost.Workers;

/// <summary>
/// The result's error of a request to a pool route that supervision has left without a single live worker
/// (directive <c>stop</c>, a retry budget exhausted, or the route supervisor stopped for good). Such a pool does
/// not grow back by itself, so the outcome is <c>worker_stopped</c> for every request until the route is rebuilt
/// (a route-level restart) or the process restarts; the message says so, and the gateway shows it to the client.
/// </summary>
public sealed class NoLiveWorkersException : ActorStoppedException
{
    /// <summary>Creates the exception with a default message.</summary>
    public NoLiveWorkersException()
        : base("The route has no live workers left.")
    {
        Route = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public NoLiveWorkersException(string message)
        : base(message)
    {
        Route = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public NoLiveWorkersException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Route = string.Empty;
    }

    /// <summary>Creates the exception for a route and its configured pool size.</summary>
    /// <param name="route">The route's name.</param>
    /// <param name="poolSize">The route's <c>instances</c>.</param>
    public NoLiveWorkersException(string route, int poolSize)
        : base($"Route \"{route}\" has no live workers left (0 of {poolSize}): supervision stopped them all, and a pool does not replace stopped workers.")
    {
        Route = route;
        PoolSize = poolSize;
    }

    /// <summary>The route's name (empty when not given).</summary>
    public string Route { get; }

    /// <summary>The route's configured pool size (<c>instances</c>); 0 when not given.</summary>
    public int PoolSize { get; }
}
