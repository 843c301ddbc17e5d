using ActorHost.Gateway.Requests;
using ActorHost.Gateway.Tests.Infrastructure;
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

    [Fact]
    public async Task Close_after_an_abort_returns_only_once_the_abort_has_cut_the_connection()
    {
        var (context, lifetime) = Context(new HeldStream());
        var sink = new HttpResponseSink(context);
        await sink.StartAsync(200, [], CancellationToken.None);

        sink.Abort();
        await sink.CloseAsync().WaitAsync(Guard);

        Assert.True(lifetime.Aborted.IsCompleted);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_response_says_Connection_close_once_the_gateway_keeps_no_connection_alive(bool shuttingDown)
    {
        var (context, _) = Context(new HeldStream());
        var sink = new HttpResponseSink(context, () => shuttingDown);

        await sink.StartAsync(200, [new("Content-Type", "text/plain")], CancellationToken.None);

        Assert.Equal(shuttingDown ? "close" : string.Empty, context.Response.Headers.Connection.ToString());
        Assert.Equal("text/plain", context.Response.ContentType);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Headers_go_out_at_start_or_with_the_first_write_as_asked(bool headersWithFirstWrite)
    {
        var context = new DefaultHttpContext();
        var body = new StartRecordingBody();
        context.Features.Set<IHttpResponseBodyFeature>(body);
        var sink = new HttpResponseSink(context, headersWithFirstWrite: headersWithFirstWrite);

        await sink.StartAsync(201, [new("X-Test", "1")], CancellationToken.None);

        Assert.Equal(201, context.Response.StatusCode);
        Assert.Equal("1", context.Response.Headers["X-Test"].ToString());
        Assert.Equal(!headersWithFirstWrite, body.Started);
    }

    private static (HttpContext Context, RecordingLifetime Lifetime) Context(Stream body)
    {
        var context = new DefaultHttpContext();
        var lifetime = new RecordingLifetime();
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        return (context, lifetime);
    }

    /// <summary>A response body that only records whether the response was started explicitly.</summary>
    private sealed class StartRecordingBody : IHttpResponseBodyFeature
    {
        public bool Started { get; private set; }

        public Stream Stream => Stream.Null;

        public System.IO.Pipelines.PipeWriter Writer => System.IO.Pipelines.PipeWriter.Create(Stream.Null);

        public Task StartAsync(CancellationToken cancellationToken = default)
        {
            Started = true;
            return Task.CompletedTask;
        }

        public void DisableBuffering()
        {
        }

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task CompleteAsync() => Task.CompletedTask;
    }

    /// <summary>Records the abort; the request is never aborted by the peer here.</summary>
    private sealed class RecordingLifetime : IHttpRequestLifetimeFeature
    {
        private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Aborted => _aborted.Task;

        public CancellationToken RequestAborted { get; set; }

        public void Abort() => _aborted.TrySetResult();
    }
}
