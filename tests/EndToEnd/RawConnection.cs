using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ActorHost.EndToEnd;

/// <summary>
/// One HTTP/1.1 keep-alive connection over a raw socket, so a test controls exactly which connection a
/// request travels on (HttpClient would quietly open another).
/// </summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly string _host;

    private RawConnection(TcpClient client, string host)
    {
        _client = client;
        _stream = client.GetStream();
        _host = host;
    }

    public static async Task<RawConnection> OpenAsync(Uri address)
    {
        var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        return new RawConnection(client, address.Authority);
    }

    /// <summary>Sends one request and reads its response (Content-Length framed, as every gateway answer here is).</summary>
    public async Task<RawResponse> SendAsync(string method, string path, string body)
    {
        byte[] content = Encoding.UTF8.GetBytes(body);
        string head = $"{method} {path} HTTP/1.1\r\nHost: {_host}\r\nContent-Type: text/plain\r\nContent-Length: {content.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n";
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await _stream.WriteAsync(content);
        await _stream.FlushAsync();

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<byte>();
        byte[] buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            int read = await _stream.ReadAsync(buffer, guard.Token);
            if (read == 0)
            {
                throw new IOException("The connection closed before a response arrived.");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        string[] lines = Encoding.ASCII.GetString([.. received.Take(headerEnd)]).Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        int length = headers.TryGetValue("Content-Length", out string? declared) ? int.Parse(declared, CultureInfo.InvariantCulture) : 0;
        while (received.Count - (headerEnd + 4) < length)
        {
            int read = await _stream.ReadAsync(buffer, guard.Token);
            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        return new RawResponse(status, headers, Encoding.UTF8.GetString([.. received.Skip(headerEnd + 4)]));
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int IndexOfHeaderEnd(List<byte> data)
    {
        for (int i = 0; i + 3 < data.Count; i++)
        {
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>A response read from a <see cref="RawConnection"/>.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
