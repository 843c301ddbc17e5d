using System.Text.Json;
using ActorHost.Cluster;
using ActorHost.Cluster.Coordination;
using ActorHost.Cluster.Forwarding;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Hosting;
using ActorHost.Gateway.Requests;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RouteOptions = ActorHost.Workers.Options.RouteOptions;

namespace ActorHost.Gateway.Cluster;

/// <summary>
/// The internal listener: where other nodes forward requests for the entities of this node's shards. Its own
/// small application on its own port (HTTP/2 without TLS, one multiplexed connection per peer), so no public
/// route can ever be reached through it and nothing internal is reachable on the public port. Every request
/// must carry a valid signature made with the cluster secret; anything else is refused (401) and logged.
/// </summary>
internal sealed class ClusterInternalServer(
    IServiceProvider gatewayServices,
    ClusterOptions options,
    GatewaySettings settings,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource<Uri> _advertised = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SideApplication? _app;

    /// <summary>The addresses it listens on (real ports), once started.</summary>
    public IReadOnlyList<string> Addresses => _app?.Addresses ?? [];

    /// <summary>
    /// The URL to advertise, known once the listener is bound: <c>advertise-url</c> itself, or with its port 0
    /// replaced by the port really bound.
    /// </summary>
    public Task<Uri> AdvertisedUrl => _advertised.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = new ForwardedEndpoint(
            gatewayServices.GetRequiredService<ForwardVerifier>(),
            gatewayServices.GetRequiredService<ClusterNode>(),
            gatewayServices.GetRequiredService<ClusterWorkerRuntime>(),
            gatewayServices.GetRequiredService<RouteRequestHandler>(),
            settings.Gateway.MaxRequestBodySize);
        _app = await SideApplication.StartAsync("Cluster internal listener", ListenUrls(), loggerFactory,
            kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2);
                kestrel.Limits.MaxRequestBodySize = settings.Gateway.MaxRequestBodySize;
            },
            (app, _) =>
            {
                app.Run(endpoint.ServeAsync);
                return Task.CompletedTask;
            },
            cancellationToken);
        _advertised.TrySetResult(Advertised(options.AdvertiseUrl!, _app.Addresses));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    private static Uri Advertised(Uri configured, IReadOnlyList<string> bound)
    {
        if (configured.Port != 0)
        {
            return configured;
        }

        // The binder allows port 0 only when the listener binds exactly the advertised address.
        int port = new Uri(bound[0]).Port;
        return new UriBuilder(configured) { Port = port }.Uri;
    }

    private IEnumerable<string> ListenUrls()
    {
        if (options.InternalUrls.Count > 0)
        {
            return options.InternalUrls;
        }

        Uri advertised = options.AdvertiseUrl ?? throw new InvalidOperationException("actorhost.cluster.advertise-url is required.");
        return [$"{advertised.Scheme}://{advertised.Host}:{advertised.Port}"];
    }

    /// <summary>Authenticates, checks ownership, and serves through the gateway's own request path.</summary>
    private sealed class ForwardedEndpoint(
        ForwardVerifier verifier,
        ClusterNode node,
        ClusterWorkerRuntime runtime,
        RouteRequestHandler handler,
        long maxBody)
    {
        public async Task ServeAsync(HttpContext context)
        {
            HttpRequest request = context.Request;
            if (await RequestBodyReader.ReadAsync(context, maxBody, context.RequestAborted) is not { } received)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            // The signature covers the body's bytes, and the owner serves the request from them.
            byte[] body = RequestBodyReader.ToArray(received);

            string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
            string? refusal = verifier.Verify(request.Method, target, name => Header(request, name), body, context.Connection.RemoteIpAddress?.ToString(),
                ForwardSignature.ClientHeaders(request.Headers));
            if (refusal is not null)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            if (Header(request, ForwardHeaders.Route) is not { } routeName || !runtime.Routes.TryGetValue(routeName, out RouteOptions? route)
                || route.Mode != RouteMode.Entity || ParseRouteValues(Header(request, ForwardHeaders.RouteValues)) is not { } routeValues
                || !routeValues.TryGetValue(route.EntityKey, out string? key) || string.IsNullOrEmpty(key))
            {
                // Signed by a node of this cluster, yet not a forwardable entity request: nodes disagree about routes.
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            int shard = node.ShardOf(key);
            ShardRoute current = node.Route(shard);
            if (current is { Kind: ShardRouteKind.Unavailable, Reason: "fenced" })
            {
                // Ours, but the lease cannot be renewed: no node can serve the shard until the database is back.
                // Saying so (instead of 421) spares the sender a round of refreshes against the same outage.
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers[ForwardHeaders.Outcome] = RequestOutcome.ShardUnavailable.ToWord();
                context.Response.Headers[ForwardHeaders.Node] = node.NodeId;
                context.Response.Headers[ForwardHeaders.ErrorType] = ForwardHeaders.Encode(typeof(ShardUnavailableException).FullName!);
                context.Response.Headers[ForwardHeaders.ErrorMessage] = ForwardHeaders.Encode(
                    $"Shard {shard} is fenced on node {node.NodeId}: its lease could not be renewed (coordination database unreachable).");
                return;
            }

            if (current.Kind != ShardRouteKind.Local)
            {
                // Perhaps handed to us a moment ago and not yet read: ask the database before saying 421.
                try
                {
                    await node.RefreshAsync(shard, context.RequestAborted);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database is unreachable: the local view stands.
                }
            }

            var forwarded = new ForwardedRequest(
                Header(request, ForwardHeaders.Origin) ?? "?",
                Header(request, ForwardHeaders.RequestId) ?? context.TraceIdentifier,
                routeValues,
                body,
                node.NodeId,
                envelope => runtime.TryDispatchLocally(envelope, shard))
            {
                Deadline = long.TryParse(Header(request, ForwardHeaders.Deadline), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long ms)
                    ? TimeSpan.FromMilliseconds(ms)
                    : null,
            };
            await handler.HandleForwardedAsync(context, route, forwarded);
        }

        private static string? Header(HttpRequest request, string name) =>
            request.Headers.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues values) && values.Count > 0 ? values.ToString() : null;

        private static Dictionary<string, string?>? ParseRouteValues(string? json)
        {
            if (json is null)
            {
                return null;
            }

            try
            {
                Dictionary<string, string?>? values = JsonSerializer.Deserialize<Dictionary<string, string?>>(json);
                return values is null ? null : new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
