using ActorHost.Gateway.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorHost.Gateway.Tests.Requests;

/// <summary>
/// The sink's promise to the endpoint: once closed, no call touches the context, and closing (or cutting the
/// response off) waits for a call already inside the server to leave. A body stream that holds each write until
/// the test releases it stands in for a slow peer.
/// </summary>
public class HttpResponseSinkTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Close_waits_for_a_write_inside_the_server_and_refuses_every_later_call()
    {
        var body = new HeldStream();
        var (context, _) = Context(body);
        var sink = new HttpResponseSink(context);
        await sink.StartAsync(200, [], CancellationToken.None);

        ValueTask write = sink.WriteAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
        await body.WriteEntered.WaitAsync(Guard);
        Task close = sink.CloseAsync();

        Assert.False(close.IsCompleted);
        body.Release();
        await write.AsTask().WaitAsync(Guard);
        await close.WaitAsync(Guard);

        await Assert.ThrowsAsync<IOException>(() => sink.WriteAsync(new byte[] { 4 }, CancellationToken.None).AsTask());
        Assert.Equal(3, body.Written);
    }

    [Fact]
    public async Task Close_with_no_call_inside_completes_at_once()
    {
        var (context, _) = Context(new HeldStream());
        var sink = new HttpResponseSink(context);

        Task close = sink.CloseAsync();

        Assert.True(close.IsCompletedSuccessfully);
        await Assert.ThrowsAsync<IOException>(() => sink.StartAsync(200, [], CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task An_abort_cuts_the_connection_only_after_the_write_inside_the_server_has_left()
    {
        var body = new HeldStream();
        var (context, lifetime) = Context(body);
        var sink = new HttpResponseSink(context);
        await sink.StartAsync(200, [], CancellationToken.None);
        ValueTask write = sink.WriteAsync(new byte[] { 1 }, CancellationToken.None);
        await body.WriteEntered.WaitAsync(Guard);

        sink.Abort();

        Assert.False(lifetime.Aborted.IsCompleted);
        body.Release();
        await write.AsTask().WaitAsync(Guard);
        await lifetime.Aborted.WaitAsync(Guard);
        Assert.Equal(1, body.Written);
        await sink.CloseAsync().WaitAsync(Guard);
    }

    private static (HttpContext Context, RecordingLifetime Lifetime) Context(Stream body)
    {
        var context = new DefaultHttpContext();
        var lifetime = new RecordingLifetime();
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        return (context, lifetime);
    }

    /// <summary>Records the abort; the request is never aborted by the peer here.</summary>
    private sealed class RecordingLifetime : IHttpRequestLifetimeFeature
    {
        private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Aborted => _aborted.Task;

        public CancellationToken RequestAborted { get; set; }

        public void Abort() => _aborted.TrySetResult();
    }

    /// <summary>A body whose first write waits until <see cref="Release"/>; later writes pass.</summary>
    private sealed class HeldStream : Stream
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _written;

        public Task WriteEntered => _entered.Task;

        public int Written => Volatile.Read(ref _written);

        public void Release() => _released.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _entered.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            Interlocked.Add(ref _written, buffer.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
