using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ActorHost.Cluster.Coordination;
using ActorHost.Workers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ActorHost.Cluster.Forwarding;

/// <summary>
/// Sends a request to the node that owns its shard and relays the answer into the original response: status,
/// headers and body as they arrive (SSE included), then the owner's outcome, worker and incarnation from the
/// trailers, so the receiving node's log and metrics tell the truth. One HTTP/2 (h2c) connection pool per
/// owner, reused across requests.
/// </summary>
internal sealed class RequestForwarder : IDisposable
{
    // How long held bytes of a response the owner did not mark whole wait for more before they go out anyway,
    // and how many are held at most.
    private static readonly TimeSpan HoldWhileIdle = TimeSpan.FromMilliseconds(10);
    private const int HoldLimit = WholeResponse.MaxBytes;

    private readonly HttpMessageInvoker _client;
    private readonly byte[] _key;
    private readonly string _nodeId;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public RequestForwarder(ClusterOptions options, string nodeId, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _key = Encoding.UTF8.GetBytes(options.Secret);
        _nodeId = nodeId;
        _time = time;
        _log = loggerFactory.CreateLogger(ForwardLog.Category);
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectTimeout = options.ForwardConnectTimeout,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),

            // The trace context is injected by BuildRequest from this node's span; the handler's own propagator would
            // make its unexported HttpRequestOut activity the owner's parent.
            ActivityHeadersPropagator = null,
        });
    }

    /// <summary>Forwards once to <paramref name="owner"/>; <paramref name="remaining"/> is how long the sender still waits (null: no timeout).</summary>
    public async Task<ForwardAttempt> SendAsync(RequestEnvelope envelope, ReadOnlyMemory<byte> body, ShardRoute owner, CancellationToken cancellationToken, TimeSpan? remaining = null)
    {
        using HttpRequestMessage message = BuildRequest(envelope.Request, body, owner, remaining);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            || ex.InnerException is SocketException || FailedInHandshake(ex))
        {
            // Nothing reached the owner: safe to go elsewhere.
            ForwardLog.OwnerUnreachable(_log, owner.Shard, owner.OwnerNodeId, owner.OwnerAddress, ex.Message);
            return ForwardAttempt.Unreachable;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && ex.InnerException is TimeoutException)
        {
            // The connect timeout (HttpClient reports it as a cancellation with a TimeoutException inside): the
            // owner's address accepts nothing, e.g. a dead pod's IP. Nothing reached it.
            ForwardLog.OwnerUnreachable(_log, owner.Shard, owner.OwnerNodeId, owner.OwnerAddress, ex.InnerException.Message);
            return ForwardAttempt.Unreachable;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The request may have reached the owner (connection lost mid-exchange): it must not run twice.
            ForwardLog.OwnerLost(_log, ex, owner.OwnerNodeId, envelope.Request.Method, envelope.Request.Path, owner.Shard, started: false);
            envelope.TryComplete(new RequestResult(RequestOutcome.ShardUnavailable, new RemoteHandlerException(
                $"The connection to node {owner.OwnerNodeId} (owner of shard {owner.Shard}) was lost before it answered.", ex)));
            return ForwardAttempt.Completed;
        }
        catch (OperationCanceledException ex)
        {
            CompleteCancelled(envelope, ex);
            return ForwardAttempt.Completed;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.MisdirectedRequest)
            {
                ForwardLog.Misdirected(_log, owner.OwnerNodeId, owner.Shard);
                return ForwardAttempt.Misdirected;
            }

            if (Single(response.Headers, ForwardHeaders.Outcome) is { } verdict)
            {
                CompleteFromVerdict(envelope, response, verdict);
                return ForwardAttempt.Completed;
            }

            if (Single(response.Headers, ForwardHeaders.Node) is null && (int)response.StatusCode >= 400)
            {
                // Not an answer of the owner's request path (which always names its node) but a refusal of the
                // internal listener itself: bad signature (secrets differ between nodes, clocks apart by more
                // than the replay window), unknown route, body too large. The nodes are misconfigured; the
                // handler never ran. A fault of ActorHost's, not of the handler.
                ForwardLog.Refusal(_log, (int)response.StatusCode, owner.OwnerNodeId, envelope.Request.Method, envelope.Request.Path);
                envelope.TryComplete(new RequestResult(RequestOutcome.GatewayFault, new RemoteHandlerException(
                    $"Node {owner.OwnerNodeId} refused the forwarded request with {(int)response.StatusCode}; check that every node has the same secret, routes and limits and that their clocks agree within the replay window.")));
                return ForwardAttempt.Completed;
            }

            await RelayAsync(envelope, response, owner, cancellationToken);
            return ForwardAttempt.Completed;
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// True when a new HTTP/2 connection failed before the server's SETTINGS arrived (a dying process still
    /// accepting): SocketsHttpHandler sends no request on a connection before that handshake completes, so
    /// nothing reached the owner. .NET reports it only by its message (no distinct <see cref="HttpRequestError"/>).
    /// </summary>
    private static bool FailedInHandshake(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e.Message.Contains("HTTP/2 handshake", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private HttpRequestMessage BuildRequest(WorkerRequest request, ReadOnlyMemory<byte> body, ShardRoute owner, TimeSpan? remaining)
    {
        var target = new Uri(owner.OwnerAddress!, PathAndQuery(request));
        var message = new HttpRequestMessage(new HttpMethod(request.Method), target)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var content = new ReadOnlyMemoryContent(body);
        message.Content = content;

        // The owner's span is the child of this node's span (Activity.Current, the request's server span), not of the
        // client's: the client's traceparent names a span this node continued, not the one that forwards.
        DistributedContextPropagator.Current.Inject(Activity.Current, message.Headers, static (carrier, name, value) =>
            ((HttpRequestHeaders)carrier!).TryAddWithoutValidation(name, value));
        foreach ((string name, StringValues values) in request.Headers)
        {
            // The client's trace context was replaced above; its baggage travels on when this node's span carries none.
            if (!ForwardHeaders.IsEndToEnd(name) || (ForwardSignature.IsTraceContext(name) && (ForwardSignature.IsTraceIdentity(name) || message.Headers.Contains(name))))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        long timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds();
        string nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string signed = target.PathAndQuery;
        var routing = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [ForwardHeaders.Origin] = _nodeId,
            [ForwardHeaders.RequestId] = request.RequestId,
            [ForwardHeaders.Route] = request.Route,
            [ForwardHeaders.RouteValues] = JsonSerializer.Serialize(request.RouteValues),
            [ForwardHeaders.Shard] = string.Create(CultureInfo.InvariantCulture, $"{owner.Shard}:{owner.Epoch}"),
        };
        if (remaining is { } left)
        {
            routing[ForwardHeaders.Deadline] = ((long)Math.Max(0, left.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        }
        foreach ((string name, string value) in routing)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        string routingText = ForwardSignature.Routing(name => routing.GetValueOrDefault(name));
        message.Headers.TryAddWithoutValidation(ForwardHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        message.Headers.TryAddWithoutValidation(ForwardHeaders.Nonce, nonce);
        string clientHeaders = ForwardSignature.ClientHeaders(request.Headers);
        message.Headers.TryAddWithoutValidation(ForwardHeaders.Signature, ForwardSignature.Compute(_key, request.Method, signed, timestamp, nonce, body.Span, routingText, clientHeaders));
        return message;
    }

    private static string PathAndQuery(WorkerRequest request)
    {
        var text = new StringBuilder();
        foreach (string segment in request.Path.Split('/'))
        {
            if (text.Length > 0 || segment.Length > 0)
            {
                text.Append('/').Append(Uri.EscapeDataString(segment));
            }
        }

        if (text.Length == 0)
        {
            text.Append('/');
        }

        char separator = '?';
        foreach ((string name, StringValues values) in request.Query)
        {
            foreach (string? value in values)
            {
                text.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value ?? string.Empty));
                separator = '&';
            }
        }

        return text.ToString();
    }

    private static void CompleteFromVerdict(RequestEnvelope envelope, HttpResponseMessage response, string verdict)
    {
        // The owner decided without starting a response: the receiving gateway answers exactly as if the
        // worker had run here, from the same outcome.
        SetHandler(envelope, response.Headers);
        string? node = Single(response.Headers, ForwardHeaders.Node);
        string? type = ForwardHeaders.Decode(Single(response.Headers, ForwardHeaders.ErrorType));
        string? text = ForwardHeaders.Decode(Single(response.Headers, ForwardHeaders.ErrorMessage));
        if (!RequestOutcomeExtensions.TryParseWord(verdict, out RequestOutcome outcome))
        {
            outcome = RequestOutcome.HandlerFailed;
        }

        Exception? error = outcome switch
        {
            RequestOutcome.Ok => null,
            RequestOutcome.ClientError => new ClientInputException((int)response.StatusCode, text ?? "The request was rejected."),
            RequestOutcome.Timeout => new TimeoutException(text),
            _ when type is null && text is null => null,
            _ => new RemoteHandlerException(node, type, text),
        };
        envelope.TryComplete(new RequestResult(outcome, error));
    }

    private async Task RelayAsync(RequestEnvelope envelope, HttpResponseMessage response, ShardRoute owner, CancellationToken cancellationToken)
    {
        ResponseChannel channel = envelope.Response;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var held = new ArrayBufferWriter<byte>();
        try
        {
            channel.StatusCode = (int)response.StatusCode;
            CopyHeaders(channel, response.Headers);
            CopyHeaders(channel, response.Content.Headers);
            SetHandler(envelope, response.Headers);
            bool stream = string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);

            // A response the owner marked whole (WholeResponse) reaches the client only once its trailers said how
            // it ended, however long they take: an owner lost in between leaves nothing sent, and the client gets a
            // clean 503 instead of a cut connection. Any other response is held back only while more follows at
            // once; streams go out chunk by chunk, and anything held goes out as soon as the owner pauses or a
            // buffer's worth is held.
            bool whole = Single(response.Headers, ForwardHeaders.Whole) is not null;
            while (true)
            {
                Task<int> next = body.ReadAsync(buffer, cancellationToken).AsTask();
                if (!whole && held.WrittenCount > 0 && !next.IsCompleted
                    && await Task.WhenAny(next, Task.Delay(HoldWhileIdle, _time, cancellationToken)) != next)
                {
                    await SendHeldAsync(channel, held, cancellationToken);
                }

                int read = await next;
                if (read == 0)
                {
                    break;
                }

                held.Write(buffer.AsSpan(0, read));
                // A whole response is at most HoldLimit bytes; more than that and the owner broke the rule: pass it on.
                if (stream || held.WrittenCount > HoldLimit || (!whole && held.WrittenCount == HoldLimit))
                {
                    await SendHeldAsync(channel, held, cancellationToken);
                }
                else if (whole && held.WrittenCount == response.Content.Headers.ContentLength)
                {
                    ForwardLog.HeldWhole(_log, held.WrittenCount, owner.OwnerNodeId);
                }
            }

            if (IsCleanEnd(response.TrailingHeaders))
            {
                await SendHeldAsync(channel, held, cancellationToken);
            }

            CompleteFromTrailers(envelope, response.TrailingHeaders, owner);
        }
        catch (OperationCanceledException ex)
        {
            CompleteCancelled(envelope, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The owner's stream ended without its trailers: it died or reset the stream mid-response.
            bool started = channel.HasStarted;
            ForwardLog.OwnerLost(_log, ex, owner.OwnerNodeId, envelope.Request.Method, envelope.Request.Path, owner.Shard, started);
            envelope.TryComplete(new RequestResult(started ? RequestOutcome.FailedAfterStart : RequestOutcome.ShardUnavailable,
                new RemoteHandlerException($"The connection to node {owner.OwnerNodeId} was lost while it served the request.", ex)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask SendHeldAsync(ResponseChannel channel, ArrayBufferWriter<byte> held, CancellationToken cancellationToken)
    {
        if (held.WrittenCount == 0)
        {
            return;
        }

        await channel.WriteAsync(held.WrittenMemory, cancellationToken);
        await channel.FlushAsync(cancellationToken);
        held.ResetWrittenCount();
    }

    private static bool IsCleanEnd(HttpHeaders trailers) =>
        Single(trailers, ForwardHeaders.Outcome) is { } word && RequestOutcomeExtensions.TryParseWord(word, out RequestOutcome outcome)
        && outcome is RequestOutcome.Ok or RequestOutcome.ClientError;

    private static void CompleteFromTrailers(RequestEnvelope envelope, HttpHeaders trailers, ShardRoute owner)
    {
        SetHandler(envelope, trailers);
        string? word = Single(trailers, ForwardHeaders.Outcome);
        if (word is null)
        {
            envelope.TryComplete(new RequestResult(RequestOutcome.FailedAfterStart,
                new RemoteHandlerException($"Node {owner.OwnerNodeId} ended the response without its outcome trailer.")));
            return;
        }

        if (!RequestOutcomeExtensions.TryParseWord(word, out RequestOutcome outcome))
        {
            outcome = RequestOutcome.FailedAfterStart;
        }

        // A response the owner completed cleanly is complete here too (the gateway reclassifies a 4xx status);
        // anything else was cut off on the owner and is cut off here, with the owner's outcome and cause.
        if (outcome is RequestOutcome.Ok or RequestOutcome.ClientError)
        {
            envelope.TryComplete(RequestResult.Ok);
            return;
        }

        if (outcome == RequestOutcome.HandlerFailed)
        {
            outcome = RequestOutcome.FailedAfterStart;
        }

        envelope.TryComplete(new RequestResult(outcome, new RemoteHandlerException(
            Single(trailers, ForwardHeaders.Node), ForwardHeaders.Decode(Single(trailers, ForwardHeaders.ErrorType)), ForwardHeaders.Decode(Single(trailers, ForwardHeaders.ErrorMessage)))));
    }

    private static void CompleteCancelled(RequestEnvelope envelope, OperationCanceledException ex) =>
        envelope.TryComplete(new RequestResult(envelope.CancellationCause ?? RequestOutcome.ClientAborted, ex));

    private static void CopyHeaders(ResponseChannel channel, HttpHeaders headers)
    {
        foreach ((string name, HeaderStringValues values) in headers.NonValidated)
        {
            if (!ForwardHeaders.IsEndToEnd(name))
            {
                continue;
            }

            foreach (string value in values)
            {
                channel.AppendHeader(name, value);
            }
        }
    }

    private static void SetHandler(RequestEnvelope envelope, HttpHeaders headers)
    {
        string? worker = ForwardHeaders.Decode(Single(headers, ForwardHeaders.Worker));
        string? node = Single(headers, ForwardHeaders.Node);
        if (worker is not null && int.TryParse(Single(headers, ForwardHeaders.Incarnation), NumberStyles.Integer, CultureInfo.InvariantCulture, out int incarnation))
        {
            envelope.Handler = new HandlerIdentity($"actorhost://{node}{worker}", incarnation);
        }
    }

    private static string? Single(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out HeaderStringValues values) ? values.ToString() : null;
}
