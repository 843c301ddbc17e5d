namespace ActorHost.Workers.Faults;

/// <summary>
/// Wraps the real sink so that write faults happen exactly where a real one would: an <c>on-write</c> fault
/// throws <see cref="IOException"/> from the write (the channel then reports peer_closed and cancels the
/// handler), an <c>after-bytes</c> fault throws its exception from the first write (or the completion)
/// once the byte threshold was reached, after flushing what went before (from a write: at least the status line
/// and headers) so the client really has it. The <c>after-bytes</c> exception travels inside an
/// <see cref="InjectedWriteFaultException"/>, so that the channel never mistakes it for a gone peer whatever its type.
/// Inert until the worker arms it for the call.
/// </summary>
internal sealed class FaultingResponseSink(IResponseSink inner) : IResponseSink
{
    private InjectedFault? _fault;
    private long _written;

    public void Arm(InjectedFault fault) => Volatile.Write(ref _fault, fault);

    public ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) =>
        inner.StartAsync(statusCode, headers, cancellationToken);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await StrikeIfDueAsync(cancellationToken);
        await inner.WriteAsync(data, cancellationToken);
        _written += data.Length;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public async ValueTask CompleteAsync()
    {
        // A handler that wrote less than the threshold still fails, at its end: the rule promised a failure.
        if (Volatile.Read(ref _fault) is { } fault)
        {
            await StrikeAsync(fault, flush: _written > 0, CancellationToken.None);
        }

        await inner.CompleteAsync();
    }

    public void Abort() => inner.Abort();

    private async ValueTask StrikeIfDueAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _fault) is { } fault && _written >= fault.Rule.AfterBytes)
        {
            // Flushed even with no byte written yet: a sink may hold the status line and headers back until the first
            // write, and this write never reaches it. Without the flush a strike at 0 bytes sent nothing at all (the
            // client saw a bare reset) while the log said a 200 had gone out and been cut off.
            await StrikeAsync(fault, flush: true, cancellationToken);
        }
    }

    private async ValueTask StrikeAsync(InjectedFault fault, bool flush, CancellationToken cancellationToken)
    {
        // One strike per call: a handler that catches the fault and writes on sees a normal sink again.
        Volatile.Write(ref _fault, null);
        if (flush)
        {
            await inner.FlushAsync(cancellationToken);
        }

        Exception strike = fault.Strike();
        throw fault.Rule.Point == FaultPoint.OnWrite ? strike : new InjectedWriteFaultException(strike);
    }
}
