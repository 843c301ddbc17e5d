namespace ActorHost.Workers.Faults;

/// <summary>
/// Wraps the real sink so that write faults happen exactly where a real one would: an <c>on-write</c> fault
/// throws <see cref="IOException"/> from the write (the channel then reports peer_closed and cancels the
/// handler), an <c>after-bytes</c> fault throws its exception from the first write (or the completion)
/// once the byte threshold was reached, after flushing what went before so the client really has it.
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
            await StrikeAsync(fault, CancellationToken.None);
        }

        await inner.CompleteAsync();
    }

    public void Abort() => inner.Abort();

    private async ValueTask StrikeIfDueAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _fault) is { } fault && _written >= fault.Rule.AfterBytes)
        {
            await StrikeAsync(fault, cancellationToken);
        }
    }

    private async ValueTask StrikeAsync(InjectedFault fault, CancellationToken cancellationToken)
    {
        // One strike per call: a handler that catches the fault and writes on sees a normal sink again.
        Volatile.Write(ref _fault, null);
        if (_written > 0)
        {
            await inner.FlushAsync(cancellationToken);
        }

        throw fault.Strike();
    }
}
