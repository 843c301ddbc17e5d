using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace ActorHost.Gateway.Management.Events;

/// <summary>
/// The open <c>/events</c> connections. <see cref="DropAll"/> aborts them (clients reconnect and resume with
/// <c>Last-Event-ID</c>); exposed as <c>POST /events/disconnect</c> so operators and tests can prove resumption.
/// <see cref="EndAll"/> asks them to end cleanly instead, with a last <c>shutdown</c> event: what a stopping
/// gateway does.
/// </summary>
internal sealed class EventStreamConnections : IDisposable
{
    private readonly ConcurrentDictionary<HttpContext, byte> _open = new();
    private readonly CancellationTokenSource _ending = new();

    /// <summary>Fires when the streams are to end cleanly (the management listener is stopping).</summary>
    public CancellationToken Ending => _ending.Token;

    /// <summary>Asks every stream, open or opened later, to send its last event and end.</summary>
    public void EndAll() => _ending.Cancel();

    /// <inheritdoc />
    public void Dispose() => _ending.Dispose();

    public int Count => _open.Count;

    public IDisposable Track(HttpContext context)
    {
        _open[context] = 0;
        return new Registration(this, context);
    }

    /// <summary>Aborts every open stream; answers how many.</summary>
    public int DropAll()
    {
        int dropped = 0;
        foreach (HttpContext context in _open.Keys)
        {
            if (_open.TryRemove(context, out _))
            {
                context.Abort();
                dropped++;
            }
        }

        return dropped;
    }

    private sealed class Registration(EventStreamConnections owner, HttpContext context) : IDisposable
    {
        public void Dispose() => owner._open.TryRemove(context, out _);
    }
}
