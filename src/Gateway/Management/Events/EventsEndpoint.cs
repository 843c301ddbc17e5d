using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Management.Events;

/// <summary>
/// <c>GET /events</c>: server-sent events from the <see cref="EventRing"/>. Without a position it starts
/// with the next event. The <c>Last-Event-ID</c> header (what a browser's EventSource sends when it
/// reconnects; it wins) or <c>?since=ID</c> resumes right after ID with nothing skipped; when ID is older than the ring
/// keeps (or unknown to this process, e.g. after a restart), a <c>gap</c> event says exactly that before
/// the stream goes on from the oldest event kept. Every event carries its <c>id:</c>; a comment line is sent
/// every 15 s so idle proxies keep the connection.
/// </summary>
internal static class EventsEndpoint
{
    internal static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(15);
    private const int BatchSize = 256;

    public static async Task StreamAsync(HttpContext http, ManagementViews views, TimeProvider time, ILogger log)
    {
        if (!TryReadSince(http.Request, out long? since))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { title = "since (or Last-Event-ID) must be a non-negative integer event id" });
            return;
        }

        EventRing ring = views.Ring;
        CancellationToken aborted = http.RequestAborted;
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache, no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        using IDisposable tracked = views.Connections.Track(http);
        var output = new StringBuilder();

        // The browser waits this long before reconnecting after a drop.
        output.Append("retry: 1000\n");
        long after;
        if (since is long position)
        {
            RingRead probe = ring.ReadAfter(position, 1);
            after = position;
            if (probe.Missed != 0)
            {
                AppendGap(output, position, probe);
                after = probe.OldestId - 1;
                ManagementLog.EventsClientResumed(log, position, probe.Missed);
            }
        }
        else
        {
            after = ring.LastId;
            output.Append(CultureInfo.InvariantCulture, $": live from id {after}\n");
        }

        output.Append('\n');
        try
        {
            await WriteAsync(http, output, aborted);
            Task? keepAlive = null;
            CancellationToken ending = views.Connections.Ending;
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using CancellationTokenRegistration endingRegistration = ending.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), ended);
            while (!aborted.IsCancellationRequested && !ending.IsCancellationRequested)
            {
                RingRead read = ring.ReadAfter(after, BatchSize);
                if (read.Missed > 0)
                {
                    // This reader fell behind by more than the ring holds.
                    AppendGap(output, after, read);
                }

                foreach (ManagementEvent item in read.Events)
                {
                    output.Append("id: ").Append(item.Id.ToString(CultureInfo.InvariantCulture)).Append('\n')
                          .Append("event: ").Append(item.Type).Append('\n')
                          .Append("data: ").Append(item.Json).Append("\n\n");
                    after = item.Id;
                }

                if (output.Length > 0)
                {
                    await WriteAsync(http, output, aborted);
                    continue;
                }

                // One keep-alive wait at a time, kept across wake-ups until it fires: a new one per wake-up would leave a
                // 15 s timer behind for every burst of events. A comment goes out at most every KeepAliveEvery.
                Task appended = ring.WhenAppendedAfter(after);
                keepAlive ??= Task.Delay(KeepAliveEvery, time, aborted);
                Task woke = await Task.WhenAny(appended, keepAlive, ended.Task);
                if (woke == keepAlive)
                {
                    keepAlive = null;
                    if (!aborted.IsCancellationRequested)
                    {
                        output.Append(": keep-alive\n\n");
                        await WriteAsync(http, output, aborted);
                    }
                }
            }

            if (ending.IsCancellationRequested && !aborted.IsCancellationRequested)
            {
                // The listener is stopping: say so, then end the response cleanly (a browser reconnects after its retry).
                output.Append("event: shutdown\ndata: {\"type\":\"shutdown\"}\n\n");
                await WriteAsync(http, output, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away (or the stream was dropped on purpose): nothing to finish.
        }
    }

    private static void AppendGap(StringBuilder output, long since, RingRead read)
    {
        string reason = read.Missed < 0 ? "unknown-id" : "too-old";
        long missed = Math.Max(0, read.Missed);

        // No id: line, so the client's Last-Event-ID stays on the last event it really received.
        output.Append("event: gap\n").Append("data: ")
              .Append(CultureInfo.InvariantCulture, $"{{\"type\":\"gap\",\"reason\":\"{reason}\",\"since\":{since},\"missed\":{missed},\"oldestId\":{read.OldestId},\"lastId\":{read.LastId}}}")
              .Append("\n\n");
    }

    private static async Task WriteAsync(HttpContext http, StringBuilder output, CancellationToken cancellationToken)
    {
        string text = output.ToString();
        output.Clear();
        await http.Response.WriteAsync(text, cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }

    private static bool TryReadSince(HttpRequest request, out long? since)
    {
        since = null;
        // Last-Event-ID first: on an automatic reconnect the browser repeats the original URL (with its old
        // ?since) but sends the id it really got last in this header.
        string? raw = request.Headers.TryGetValue("Last-Event-ID", out var header) && !string.IsNullOrEmpty(header) ? header.ToString()
            : request.Query.TryGetValue("since", out var query) ? query.ToString()
            : null;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            since = value;
            return true;
        }

        return false;
    }
}
