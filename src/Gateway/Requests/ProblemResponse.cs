using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ActorHost.Gateway.Telemetry;
using ActorHost.Workers;
using Microsoft.AspNetCore.Http;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// The body the gateway answers with when it, not the handler, writes the response:
/// <c>application/problem+json</c> (RFC 9457) with a type naming the outcome, a title, the status, and
/// the ids to quote when reporting it. Exception details only in development mode.
/// </summary>
internal static class ProblemResponse
{
    public const string ContentType = "application/problem+json";

    private const int InitialBufferSize = 512;
    private const int MaxKeptBufferSize = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The problem type of the gateway's own faults (bugs in ActorHost, not in a handler).</summary>
    public static readonly string GatewayFaultWord = RequestOutcome.GatewayFault.ToWord();

    /// <summary>Writes the problem for an outcome and returns the number of body bytes written.</summary>
    public static Task<long> WriteAsync(
        HttpContext context,
        int status,
        RequestOutcome outcome,
        string? detail,
        Exception? exception,
        bool development,
        TimeSpan? retryAfter) =>
        WriteAsync(context, status, outcome.ToWord(), Title(outcome), detail, exception, development, retryAfter);

    /// <summary>Writes a problem with an explicit type word and title; returns the body bytes written.</summary>
    public static async Task<long> WriteAsync(
        HttpContext context,
        int status,
        string word,
        string title,
        string? detail,
        Exception? exception,
        bool development,
        TimeSpan? retryAfter)
    {
        byte[] body = Serialize(context.TraceIdentifier, GatewayTracing.TraceIdOf(context), status, word, title, detail, exception, development);
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        if (retryAfter is TimeSpan delay)
        {
            response.Headers.RetryAfter = ((long)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            // Nobody is there to read it; the status is still what the gateway answered.
            return 0;
        }

        try
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
            await response.CompleteAsync();
            return body.Length;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            return 0;
        }
    }

    internal static byte[] Serialize(string requestId, string? traceId, int status, string word, string title, string? detail, Exception? exception, bool development)
    {
        // One writer and buffer per thread, reset for every problem: a writer over a fresh MemoryStream grew and
        // cleared its own buffers each time, several microseconds per 500 in a failure storm.
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(InitialBufferSize);
        buffer.ResetWrittenCount();
        Utf8JsonWriter json = t_writer ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        try
        {
            json.WriteStartObject();
            json.WriteString("type", "urn:actorhost:outcome:" + word);
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            if (detail is not null)
            {
                json.WriteString("detail", detail);
            }

            json.WriteString("outcome", word);
            json.WriteString("requestId", requestId);
            if (traceId is not null)
            {
                json.WriteString("traceId", traceId);
            }

            if (development && exception is not null)
            {
                json.WriteStartObject("exception");
                json.WriteString("type", exception.GetType().FullName);
                json.WriteString("message", exception.Message);
                json.WriteString("stackTrace", exception.ToString());
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > MaxKeptBufferSize)
            {
                // A development-mode stack trace made it large: do not keep that much per thread.
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    private static string Title(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.HandlerFailed => "The request handler failed.",
        RequestOutcome.Timeout => "The request timed out.",
        RequestOutcome.WorkerStopped => "The worker for this request is stopped; try again later.",
        RequestOutcome.Overloaded => "The worker for this request is busy (its mailbox is full); try again later.",
        RequestOutcome.Rejected => "The gateway is shutting down; try again later.",
        RequestOutcome.ShutdownAborted => "The request was cut off by shutdown.",
        RequestOutcome.ClientAborted => "The client closed the request.",
        RequestOutcome.ClientError => "The request was rejected.",
        _ => "The request could not be served.",
    };
}
