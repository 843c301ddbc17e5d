using System.Diagnostics;

namespace ActorHost.Gateway.Telemetry;

/// <summary>The gateway's <see cref="ActivitySource"/>: one server span per routed request.</summary>
internal static class GatewayTracing
{
    /// <summary>The source name, also used by the OTLP exporter and tests.</summary>
    public const string SourceName = "ActorHost.Gateway";

    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartRequest(string method, string routeName, string routeTemplate) =>
        Source.HasListeners()
            ? Source.StartActivity(method + " " + routeTemplate, ActivityKind.Server, parentContext: default, tags:
            [
                new("http.request.method", method),
                new("http.route", routeTemplate),
                new("actorhost.route", routeName),
            ])
            : null;
}
