using System.Net.Sockets;
using System.Text;

namespace ActorHost.Gateway.Tests.Infrastructure;

/// <summary>HTTP/1.1 over a bare socket, for what HttpClient hides: truncation, resets, closing mid-request.</summary>
public sealed class RawHttp : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    // Everything received so far: a wait for part of the response keeps what it read for the final read.
    private readonly MemoryStream _received = new();

    private RawHttp(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawHttp> ConnectAsync(Uri baseAddress)
    {
        var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        client.NoDelay = true;
        return new RawHttp(client);
    }

    public async Task SendAsync(string method, string pathAndQuery, string? body = null, string? contentType = null)
    {
        var text = new StringBuilder();
        text.Append(method).Append(' ').Append(pathAndQuery).Append(" HTTP/1.1\r\nHost: localhost\r\n");
        byte[] bodyBytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null)
        {
            text.Append("Content-Type: ").Append(contentType ?? "text/plain").Append("\r\n");
        }

        text.Append("Content-Length: ").Append(bodyBytes.Length).Append("\r\n\r\n");

        // One write for the whole request: a server that answers and resets at once must not find the
        // client still writing.
        byte[] whole = [.. Encoding.ASCII.GetBytes(text.ToString()), .. bodyBytes];
        await _stream.WriteAsync(whole);
        await _stream.FlushAsync();
    }

    /// <summary>Writes <paramref name="text"/> as it is: part of a request, for a request sent in pieces.</summary>
    public async Task SendRawAsync(string text)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await _stream.FlushAsync();
    }

    /// <summary>Reads until <paramref name="text"/> has arrived (the bytes stay for <see cref="ReadToEndAsync"/>).</summary>
    public async Task ReadUntilAsync(string text, TimeSpan? guard = null)
    {
        using var timeout = new CancellationTokenSource(guard ?? TimeSpan.FromSeconds(15));
        byte[] buffer = new byte[8192];
        while (!Encoding.UTF8.GetString(_received.ToArray()).Contains(text, StringComparison.Ordinal))
        {
            int read = await _stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                throw new IOException($"The server closed the connection before '{text}' arrived.");
            }

            _received.Write(buffer, 0, read);
        }
    }

    /// <summary>Reads until the server closes the connection; says whether it ended with a reset.</summary>
    public async Task<(string Text, bool Reset)> ReadToEndAsync(TimeSpan? guard = null)
    {
        using var timeout = new CancellationTokenSource(guard ?? TimeSpan.FromSeconds(15));
        byte[] buffer = new byte[8192];
        bool reset = false;
        try
        {
            while (true)
            {
                int read = await _stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                _received.Write(buffer, 0, read);
            }
        }
        catch (IOException ex) when (ex.InnerException is SocketException)
        {
            reset = true;
        }

        return (Encoding.UTF8.GetString(_received.ToArray()), reset);
    }

    /// <summary>Closes the socket at once (a client that walks away).</summary>
    public void Close()
    {
        _client.Client.Shutdown(SocketShutdown.Both);
        _client.Close();
    }

    /// <summary>Resets the connection (RST instead of FIN): a client whose network dropped or whose process died.</summary>
    public void Reset()
    {
        // The socket itself, with a zero linger: closing the NetworkStream would shut the socket down (FIN) first.
        _client.Client.LingerState = new LingerOption(true, 0);
        _client.Client.Close(0);
    }

    public ValueTask DisposeAsync()
    {
        _received.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
