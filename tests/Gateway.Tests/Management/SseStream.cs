using System.Text;
using System.Text.Json;

namespace ActorHost.Gateway.Tests.Management;

/// <summary>One server-sent event as a client sees it.</summary>
internal sealed record SseEvent(long? Id, string Type, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;

    /// <summary>The <c>data</c> object inside the management event envelope.</summary>
    public JsonElement Payload => Json.GetProperty("data");
}

/// <summary>
/// A client of <c>GET /events</c>: opens the stream (optionally with <c>?since=</c> or <c>Last-Event-ID</c>)
/// and reads events one by one. Every read is guarded by a timeout so a missing event fails the test
/// instead of hanging it.
/// </summary>
internal sealed class SseStream : IAsyncDisposable
{
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(15);
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    public static async Task<SseStream> OpenAsync(HttpClient client, string query = "", long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/events" + query);
        if (lastEventId is long id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Stream body = await response.Content.ReadAsStreamAsync();
        return new SseStream(response, new StreamReader(body, Encoding.UTF8));
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<SseEvent?> NextAsync()
    {
        using var bound = new CancellationTokenSource(ReadBound);
        long? id = null;
        string? type = null;
        var data = new StringBuilder();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(bound.Token);
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                throw new TimeoutException("No server-sent event within " + ReadBound);
            }
            catch (IOException)
            {
                return null;
            }
            catch (HttpRequestException)
            {
                return null;
            }

            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (type is null && data.Length == 0)
                {
                    continue;
                }

                return new SseEvent(id, type ?? "message", data.ToString());
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    data.Append(value);
                    break;
            }
        }
    }

    /// <summary>Reads until <paramref name="match"/> holds, returning every event read (the match last).</summary>
    public async Task<List<SseEvent>> ReadUntilAsync(Func<SseEvent, bool> match)
    {
        var events = new List<SseEvent>();
        while (true)
        {
            SseEvent next = await NextAsync() ?? throw new InvalidOperationException("The stream ended before the expected event; got: " + string.Join(", ", events.Select(e => e.Id + ":" + e.Type)));
            events.Add(next);
            if (match(next))
            {
                return events;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
