using System.Text;
using ActorHost.Cluster.Forwarding;
using ActorHost.Gateway.Cluster;
using ActorHost.Gateway.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorHost.Gateway.Tests.Requests;

/// <summary>
/// The owner's side of forwarding: a response the handler finishes without flushing goes to the sender whole,
/// with its length declared, so the sender can hold it until the trailers; a flush or a large body goes out as
/// before; a response cut off while held still shows the sender what the handler wrote.
/// </summary>
public class ForwardedResponseSinkTests
{
    private static readonly KeyValuePair<string, string>[] Json = [new("Content-Type", "application/json")];

    [Fact]
    public async Task A_response_finished_without_a_flush_goes_out_whole_with_its_length_declared()
    {
        var (sink, context, body) = Sink();

        await sink.StartAsync(201, Json, CancellationToken.None);
        await sink.WriteAsync(Bytes("{\"count\":"), CancellationToken.None);
        await sink.WriteAsync(Bytes("1}"), CancellationToken.None);
        Assert.Empty(body.Writes);

        await sink.CompleteAsync();

        Assert.Equal(201, context.Response.StatusCode);
        Assert.Equal("{\"count\":1}", body.Text);
        Assert.Single(body.Writes);
        Assert.Equal(11, body.ContentLengthAtFirstWrite);
        Assert.Equal("1", context.Response.Headers[ForwardHeaders.Whole].ToString());
        Assert.Equal("application/json", context.Response.ContentType);
    }

    [Fact]
    public async Task A_flush_sends_what_is_held_at_once_and_declares_no_length()
    {
        var (sink, context, body) = Sink();

        await sink.StartAsync(200, [new("Content-Type", "text/event-stream")], CancellationToken.None);
        await sink.WriteAsync(Bytes("data: 1\n\n"), CancellationToken.None);
        await sink.FlushAsync(CancellationToken.None);

        Assert.Equal("data: 1\n\n", body.Text);

        await sink.WriteAsync(Bytes("data: 2\n\n"), CancellationToken.None);
        Assert.Equal("data: 1\n\ndata: 2\n\n", body.Text);
        await sink.CompleteAsync();

        Assert.Null(context.Response.ContentLength);
        Assert.False(context.Response.Headers.ContainsKey(ForwardHeaders.Whole));
    }

    [Fact]
    public async Task A_body_larger_than_the_whole_response_limit_goes_out_as_written_and_declares_no_length()
    {
        var (sink, context, body) = Sink();
        byte[] chunk = new byte[WholeResponse.MaxBytes / 2];

        await sink.StartAsync(200, [], CancellationToken.None);
        await sink.WriteAsync(chunk, CancellationToken.None);
        await sink.WriteAsync(chunk, CancellationToken.None);
        Assert.Empty(body.Writes);
        await sink.WriteAsync(new byte[] { 1 }, CancellationToken.None);

        Assert.Equal(WholeResponse.MaxBytes + 1, body.Length);
        await sink.CompleteAsync();
        Assert.Null(context.Response.ContentLength);
        Assert.False(context.Response.Headers.ContainsKey(ForwardHeaders.Whole));
    }

    [Theory]
    [InlineData("HEAD", 200)]
    [InlineData("GET", 204)]
    [InlineData("GET", 304)]
    public async Task A_response_that_has_no_body_of_its_own_is_whole_but_declares_no_length(string method, int status)
    {
        var (sink, context, _) = Sink(method);

        await sink.StartAsync(status, [], CancellationToken.None);
        await sink.CompleteAsync();

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Null(context.Response.ContentLength);
        Assert.Equal("1", context.Response.Headers[ForwardHeaders.Whole].ToString());
    }

    [Fact]
    public async Task A_length_the_handler_set_is_kept_and_the_handlers_own_protocol_headers_are_dropped()
    {
        var (sink, context, body) = Sink();

        await sink.StartAsync(200, [new("Content-Length", "2"), new("ActorHost-Outcome", "ok"), new(ForwardHeaders.Whole, "forged")], CancellationToken.None);
        await sink.WriteAsync(Bytes("ok"), CancellationToken.None);
        await sink.CompleteAsync();

        Assert.Equal(2, context.Response.ContentLength);
        Assert.Equal("2", context.Response.Headers.ContentLength.ToString());
        Assert.False(context.Response.Headers.ContainsKey("ActorHost-Outcome"));
        Assert.Equal("1", context.Response.Headers[ForwardHeaders.Whole].ToString());
        Assert.Equal("ok", body.Text);
    }

    [Fact]
    public async Task A_response_cut_off_while_held_still_shows_the_sender_the_status_and_what_was_written()
    {
        var (sink, context, body) = Sink();
        await sink.StartAsync(200, Json, CancellationToken.None);
        await sink.WriteAsync(Bytes("{\"partial\":"), CancellationToken.None);

        sink.Abort();
        Assert.Empty(body.Writes);
        await sink.SendHeldAsync();

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("{\"partial\":", body.Text);
        Assert.Null(body.ContentLengthAtFirstWrite);
        Assert.False(context.Response.Headers.ContainsKey(ForwardHeaders.Whole));
    }

    [Fact]
    public async Task Sending_what_is_held_does_nothing_when_nothing_started_or_everything_went_out()
    {
        var (untouched, _, untouchedBody) = Sink();
        await untouched.SendHeldAsync();
        Assert.Empty(untouchedBody.Writes);

        var (completed, _, body) = Sink();
        await completed.StartAsync(200, [], CancellationToken.None);
        await completed.WriteAsync(Bytes("done"), CancellationToken.None);
        await completed.CompleteAsync();
        await completed.SendHeldAsync();
        Assert.Equal("done", body.Text);
        Assert.Single(body.Writes);
    }

    [Fact]
    public async Task A_held_write_fails_at_once_when_the_sender_is_gone()
    {
        using var senderGone = new CancellationTokenSource();
        var (sink, _, body) = Sink(peerGone: senderGone.Token);
        await sink.StartAsync(200, [], CancellationToken.None);
        await sink.WriteAsync(Bytes("first"), CancellationToken.None);

        await senderGone.CancelAsync();

        await Assert.ThrowsAsync<IOException>(() => sink.WriteAsync(Bytes("second"), CancellationToken.None).AsTask());
        Assert.Empty(body.Writes);
    }

    [Fact]
    public async Task Held_bytes_count_as_unsent_until_they_are_passed_on_and_stay_unsent_when_the_sender_is_gone()
    {
        var (sink, _, _) = Sink();
        await sink.StartAsync(200, [], CancellationToken.None);
        await sink.WriteAsync(Bytes("12345"), CancellationToken.None);
        Assert.Equal(5, sink.UnsentBytes);
        await sink.CompleteAsync();
        Assert.Equal(0, sink.UnsentBytes);

        using var senderGone = new CancellationTokenSource();
        var (cut, _, body) = Sink(peerGone: senderGone.Token);
        await cut.StartAsync(200, [], CancellationToken.None);
        await cut.WriteAsync(Bytes("held"), CancellationToken.None);
        await senderGone.CancelAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => cut.SendHeldAsync().AsTask());
        Assert.Equal(4, cut.UnsentBytes);
        Assert.Empty(body.Writes);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static (ForwardedResponseSink Sink, HttpContext Context, RecordingBody Body) Sink(string method = "GET", CancellationToken peerGone = default)
    {
        var context = new DefaultHttpContext { RequestAborted = peerGone };
        context.Request.Method = method;
        var body = new RecordingBody(() => context.Response.ContentLength);
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        return (new ForwardedResponseSink(new HttpResponseSink(context), method), context, body);
    }

    /// <summary>The response body as the sender would receive it: each write, and the declared length when the first arrived.</summary>
    private sealed class RecordingBody(Func<long?> contentLength) : Stream
    {
        private readonly MemoryStream _all = new();

        public List<int> Writes { get; } = [];

        public long? ContentLengthAtFirstWrite { get; private set; }

        public string Text => Encoding.UTF8.GetString(_all.ToArray());

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _all.Length;

        public override long Position
        {
            get => _all.Length;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Writes.Count == 0)
            {
                ContentLengthAtFirstWrite = contentLength();
            }

            Writes.Add(buffer.Length);
            _all.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }
    }
}
