using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>What the owner received: the request exactly as it arrived on the wire.</summary>
public sealed record ReceivedRequest(string Method, string RawTarget, string Path, string Query, IReadOnlyDictionary<string, string[]> Headers, byte[] Body, string Protocol)
{
    public string? Header(string name) => Headers.TryGetValue(name, out string[]? values) ? string.Join(",", values) : null;
}

/// <summary>
/// A real Kestrel server on 127.0.0.1 (a free port) speaking HTTP/2 without TLS, playing the owner node's
/// internal listener: every request is recorded, then answered by the test's handler.
/// </summary>
public sealed class OwnerServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();

    private OwnerServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public static async Task<OwnerServer> StartAsync(Func<HttpContext, Task> handler)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        WebApplication app = builder.Build();
        var server = new OwnerServer(app);
        app.Run(async context =>
        {
            HttpRequest request = context.Request;
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted);
            server._received.Enqueue(new ReceivedRequest(
                request.Method,
                context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "",
                request.Path.Value ?? "",
                request.QueryString.Value ?? "",
                request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? "").ToArray(), StringComparer.OrdinalIgnoreCase),
                body.ToArray(),
                request.Protocol));

            // As the owner's request path does: every answer of it names the node (refusals of the internal
            // listener itself never do; a test playing one removes the header).
            context.Response.Headers[ActorHost.Cluster.Forwarding.ForwardHeaders.Node] = "owner-1";
            await handler(context);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Address = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(bound.Token);
        await _app.DisposeAsync();
    }
}
