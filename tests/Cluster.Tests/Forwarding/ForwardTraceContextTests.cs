using System.Diagnostics;
using ActorHost.Cluster.Forwarding;
using ActorHost.Cluster.Tests.Forwarding.Support;
using ActorHost.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ActorHost.Cluster.Tests.Forwarding;

/// <summary>
/// Across forwarding the owner's span is the child of the sending node's span (for the owner, the caller is the sending
/// node), whether or not the client sent a trace context of its own.
/// </summary>
public sealed class ForwardTraceContextTests : IAsyncDisposable
{
    private readonly CapturedLog _log = new();
    private readonly RequestForwarder _forwarder;
    private readonly ActivitySource _source = new("ActorHost.Tests.SendingNode");
    private readonly ActivityListener _listener;
    private OwnerServer? _owner;

    public ForwardTraceContextTests()
    {
        _forwarder = new RequestForwarder(Forward.Options(), "sender-1", _log.Factory, TimeProvider.System);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == _source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async ValueTask DisposeAsync()
    {
        _forwarder.Dispose();
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }

        _listener.Dispose();
        _source.Dispose();
        _log.Factory.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_forwarded_request_names_the_sending_nodes_span_as_parent(bool clientSentTraceparent)
    {
        _owner = await OwnerServer.StartAsync(context =>
        {
            context.Response.StatusCode = 200;
            context.Response.AppendTrailer(ForwardHeaders.Outcome, "ok");
            context.Response.AppendTrailer(ForwardHeaders.Node, "owner-1");
            return Task.CompletedTask;
        });
        ActivityTraceId clientTrace = ActivityTraceId.CreateRandom();
        ActivitySpanId clientSpan = ActivitySpanId.CreateRandom();
        string clientTraceparent = $"00-{clientTrace.ToHexString()}-{clientSpan.ToHexString()}-01";
        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        if (clientSentTraceparent)
        {
            headers["traceparent"] = clientTraceparent;
            headers["tracestate"] = "client=1";
        }

        headers["baggage"] = "tenant=7";

        // The sending node's server span, as GatewayTracing starts it: a child of the client's span.
        using Activity span = _source.StartActivity("GET /counter/{id}", ActivityKind.Server, ActivityContext.Parse(clientTraceparent, null))!;
        using var envelope = new RequestEnvelope(Forward.Request(headers: headers), new RecordingSink());

        await _forwarder.SendAsync(envelope, Array.Empty<byte>(), Forward.RemoteRoute(_owner.Address), envelope.HandlerToken).WaitAsync(Forward.Guard);

        var received = Assert.Single(_owner.Received);
        string? traceparent = received.Header("traceparent");
        Assert.True(traceparent == $"00-{clientTrace.ToHexString()}-{span.SpanId.ToHexString()}-01",
            $"received {traceparent}; client span {clientSpan.ToHexString()}, sending node's span {span.SpanId.ToHexString()}");
        Assert.Null(received.Header("tracestate"));
        Assert.Equal("tenant=7", received.Header("baggage"));
    }
}
