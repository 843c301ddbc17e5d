using System.Net;
using Microsoft.AspNetCore.Connections;

namespace ActorHost.Gateway.Shutdown;

/// <summary>
/// Wraps Kestrel's transport so shutdown can close the gateway's listening sockets while the connections
/// already open keep running. Kestrel itself only offers <c>StopAsync</c>, which also winds down every open
/// connection — but the issue wants requests still arriving on open keep-alive connections answered 503 with
/// Retry-After, which needs those connections alive. Unbinding a listener makes Kestrel's accept loop see the
/// end of connections and stop; new connection attempts are refused by the kernel.
/// </summary>
internal sealed class ListenerGate(IConnectionListenerFactory inner) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly Lock _gate = new();
    private readonly List<IConnectionListener> _listeners = [];
    private bool _closed;

    /// <summary>True once <see cref="CloseListenersAsync"/> ran.</summary>
    public bool IsClosed
    {
        get { lock (_gate) { return _closed; } }
    }

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        IConnectionListener listener = await inner.BindAsync(endpoint, cancellationToken);
        bool closeNow;
        lock (_gate)
        {
            closeNow = _closed;
            _listeners.Add(listener);
        }

        if (closeNow)
        {
            await listener.UnbindAsync(cancellationToken);
        }

        return listener;
    }

    public bool CanBind(EndPoint endpoint) => inner is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint);

    /// <summary>Closes every listening socket; open connections stay. Idempotent.</summary>
    public async Task CloseListenersAsync()
    {
        IConnectionListener[] listeners;
        lock (_gate)
        {
            _closed = true;
            listeners = [.. _listeners];
        }

        foreach (IConnectionListener listener in listeners)
        {
            await listener.UnbindAsync();
        }
    }
}
