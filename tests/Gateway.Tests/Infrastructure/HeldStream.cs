namespace ActorHost.Gateway.Tests.Infrastructure;

/// <summary>
/// A write-only stream whose writes wait until <see cref="Release"/> (or disposal), like a peer or a pipe that has
/// stopped reading: tests wait on <see cref="WriteEntered"/> to know a write is inside, then decide when it leaves.
/// After the release every write passes at once.
/// </summary>
public sealed class HeldStream : Stream
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _written;

    /// <summary>Completes when the first write has begun.</summary>
    public Task WriteEntered => _entered.Task;

    /// <summary>Bytes whose write has finished.</summary>
    public int Written => Volatile.Read(ref _written);

    /// <summary>Lets the held write and every later one through.</summary>
    public void Release() => _released.TrySetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _entered.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
        Interlocked.Add(ref _written, buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _entered.TrySetResult();
        _released.Task.Wait();
        Interlocked.Add(ref _written, count);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // A writer still held (a thread stuck in a write) is let go with the test.
        _released.TrySetResult();
        base.Dispose(disposing);
    }
}
