using System.Net;
using System.Net.Sockets;

namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>
/// A listening socket that never accepts, with its accept queue already full: Linux drops further SYNs, so a
/// connect to it stays in the handshake until the client's own connect timeout — like an owner whose address
/// silently drops packets.
/// </summary>
public sealed class SilentListener : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _fillers = [];

    public SilentListener()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(0);
        var endpoint = (IPEndPoint)_listener.LocalEndPoint!;
        for (int i = 0; i < 4; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _fillers.Add(filler);
            _ = filler.ConnectAsync(endpoint);
        }

        Address = new Uri($"http://127.0.0.1:{endpoint.Port}");
    }

    public Uri Address { get; }

    public void Dispose()
    {
        foreach (Socket filler in _fillers)
        {
            filler.Dispose();
        }

        _listener.Dispose();
    }
}
