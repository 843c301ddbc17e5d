using System.Net;
using System.Net.Sockets;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// A loopback port nobody listens on right now: bound to port 0, read back, released. A node's internal listener
/// needs its port before it starts (it is in its advertise URL), so an ephemeral port chosen by the node itself
/// would not do.
/// </summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
