using System.Runtime.InteropServices;
using System.Text;

namespace ActorHost.Workers.Tests.Contract;

public class WorkerRequestBodyTests
{
    private static WorkerRequest With(Stream body, long? contentLength = null) =>
        new() { RequestId = "r1", Route = "test", Method = "POST", Path = "/", Body = body, ContentLength = contentLength };

    [Fact]
    public async Task A_buffered_body_is_handed_back_without_a_copy_from_where_the_handler_left_off()
    {
        // The way the gateway buffers: an exposed array, here a window into a larger one, partly read already.
        byte[] array = Encoding.ASCII.GetBytes("..hello, body..");
        var body = new MemoryStream(array, 2, 11, writable: false, publiclyVisible: true);
        body.Position = 3;
        WorkerRequest request = With(body);

        ReadOnlyMemory<byte> rest = await request.ReadBodyAsync();

        Assert.Equal("lo, body", Encoding.ASCII.GetString(rest.Span));
        Assert.True(MemoryMarshal.TryGetArray(rest, out ArraySegment<byte> segment));
        Assert.Same(array, segment.Array);
        Assert.Equal(body.Length, body.Position);
        Assert.True((await request.ReadBodyAsync()).IsEmpty);
    }

    [Fact]
    public async Task Bytes_the_host_buffered_are_handed_back_as_they_are_and_then_the_body_is_at_its_end()
    {
        // The way the gateway makes a request: the bytes, no stream.
        byte[] array = Encoding.ASCII.GetBytes("..hello, body..");
        var request = new WorkerRequest { RequestId = "r1", Route = "test", Method = "POST", Path = "/", BufferedBody = array.AsMemory(2, 11) };

        ReadOnlyMemory<byte> body = await request.ReadBodyAsync();

        Assert.Equal("hello, body", Encoding.ASCII.GetString(body.Span));
        Assert.True(MemoryMarshal.TryGetArray(body, out ArraySegment<byte> segment));
        Assert.Same(array, segment.Array);
        Assert.True((await request.ReadBodyAsync()).IsEmpty);
        Assert.Equal(-1, request.Body.ReadByte());
    }

    [Fact]
    public async Task A_buffered_body_read_as_a_stream_first_gives_every_byte_and_reading_continues_from_there()
    {
        var request = new WorkerRequest { RequestId = "r1", Route = "test", Method = "POST", Path = "/", BufferedBody = Encoding.ASCII.GetBytes("hello, body") };

        Assert.Same(request.Body, request.Body);
        byte[] start = new byte[6];
        await request.Body.ReadExactlyAsync(start);

        Assert.Equal("hello,", Encoding.ASCII.GetString(start));
        Assert.Equal(" body", Encoding.ASCII.GetString((await request.ReadBodyAsync()).Span));
        Assert.Same(Stream.Null, new WorkerRequest { RequestId = "r2", Route = "test", Method = "GET", Path = "/", BufferedBody = ReadOnlyMemory<byte>.Empty }.Body);
    }

    [Fact]
    public async Task Any_other_stream_is_read_to_its_end()
    {
        byte[] bytes = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray();
        var body = new TrickleStream(bytes, chunk: 7_000);
        WorkerRequest request = With(body, contentLength: bytes.Length);

        ReadOnlyMemory<byte> read = await request.ReadBodyAsync();

        Assert.Equal(bytes, read.ToArray());
        Assert.Equal(-1, body.ReadByte());
    }

    [Fact]
    public async Task A_stream_without_a_declared_length_or_an_exposed_buffer_is_read_whole()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(new string('x', 50_000));
        WorkerRequest request = With(new MemoryStream(bytes));

        Assert.Equal(bytes, (await request.ReadBodyAsync()).ToArray());
        Assert.True((await With(Stream.Null).ReadBodyAsync()).IsEmpty);
    }

    [Fact]
    public async Task Reading_a_stream_that_is_not_buffered_honours_the_token()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        WorkerRequest request = With(new TrickleStream(new byte[10], chunk: 1), contentLength: 10);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await request.ReadBodyAsync(cancelled.Token));
    }

    /// <summary>A forward-only stream that returns at most <c>chunk</c> bytes per read, like a network body.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(chunk, buffer.Length), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
