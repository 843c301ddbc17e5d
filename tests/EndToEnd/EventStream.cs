using System.Text;

namespace ActorHost.EndToEnd;

/// <summary>An open server-sent-events response, read line by line as it arrives.</summary>
internal sealed class EventStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly StringBuilder _seen = new();

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<EventStream> OpenAsync(HttpClient client, string path)
    {
        HttpResponseMessage response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>Reads until a line equal to <paramref name="line"/> arrives.</summary>
    public async Task ReadUntilAsync(string line)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _reader.ReadLineAsync(guard.Token) is { } read)
        {
            _seen.AppendLine(read);
            if (read == line)
            {
                return;
            }
        }

        throw new IOException($"The stream ended before \"{line}\" arrived.");
    }

    /// <summary>Reads to the clean end of the stream and returns everything it carried.</summary>
    public async Task<string> ReadToEndAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _seen.Append(await _reader.ReadToEndAsync(guard.Token));
        return _seen.ToString();
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
