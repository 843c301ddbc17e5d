using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ActorHost.Gateway.Telemetry;

/// <summary>
/// The gateway's <see cref="ActivitySource"/>: one server span per routed request, continuing the caller's trace.
/// </summary>
internal static class GatewayTracing
{
    /// <summary>The source name, also used by the OTLP exporter and tests.</summary>
    public const string SourceName = "ActorHost.Gateway";

    /// <summary>ASP.NET Core's hosting log category. Its per-request activity and log scope are off by default.</summary>
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly DistributedContextPropagator.PropagatorGetterCallback HeaderGetter = static (carrier, name, out value, out values) =>
    {
        values = null;
        value = ((IHeaderDictionary)carrier!).TryGetValue(name, out var header) ? header.ToString() : null;
    };

    /// <summary>
    /// Starts the request's server span when anything listens. Its parent is the current activity when a listened-to
    /// source made it (ASP.NET Core's, when a tracer subscribes to it), otherwise the caller's trace context from the
    /// request headers (<c>traceparent</c>). An activity hosting made only for its log scope (no source) is never a
    /// parent: no one exports it, and the span would point at a parent no trace contains.
    /// </summary>
    public static Activity? StartRequest(HttpContext context, string method, string routeName, string routeTemplate)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        return Source.StartActivity(method + " " + routeTemplate, ActivityKind.Server, ParentOf(context), tags:
        [
            new("http.request.method", method),
            new("http.route", routeTemplate),
            new("actorhost.route", routeName),
        ]);
    }

    /// <summary>
    /// Starts the span of a request no route serves (404, 405): named by its method alone and without
    /// <c>http.route</c>, as OpenTelemetry's HTTP convention names a request that matched no route.
    /// </summary>
    public static Activity? StartUnrouted(HttpContext context, string method)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        return Source.StartActivity(method, ActivityKind.Server, ParentOf(context), tags: [new("http.request.method", method)]);
    }

    /// <summary>
    /// The parent of a request's span: the current activity when a real source started it (hosting diagnostics on),
    /// else the caller's context from the headers. A scope-only activity is detached first (this runs in the
    /// request's own async flow, so the caller's <see cref="Activity.Current"/> is untouched); the span is then a
    /// child of the caller's span, or a root.
    /// </summary>
    private static ActivityContext ParentOf(HttpContext context)
    {
        if (Activity.Current is { Source.Name.Length: > 0 })
        {
            return default;
        }

        Activity.Current = null;
        return CallerContext(context.Request.Headers);
    }

    /// <summary>
    /// Tags a request's span with how it ended. A failure sets the status to Error and names an
    /// <c>error.type</c>: the exception's type, or without one the status code (OpenTelemetry's HTTP convention).
    /// </summary>
    public static void EndRequest(Activity activity, string outcome, int status, bool clientLeft, string? errorType, bool failed)
    {
        activity.SetTag("actorhost.outcome", outcome);
        activity.SetTag("http.response.status_code", status);
        activity.SetTag("actorhost.client_left", clientLeft);
        if (errorType is null && failed)
        {
            errorType = status > 0 ? status.ToString(CultureInfo.InvariantCulture) : outcome;
        }

        if (errorType is not null)
        {
            activity.SetTag("error.type", errorType);
        }

        activity.SetStatus(failed ? ActivityStatusCode.Error : ActivityStatusCode.Unset);
    }

    /// <summary>
    /// The trace id to quote in a problem response: the gateway's span's (or any recorded span's), else the one the
    /// caller sent, else none. An activity hosting made only for its log scope is in no trace anyone records: its
    /// made-up trace id would point nowhere.
    /// </summary>
    public static string? TraceIdOf(HttpContext context) =>
        Activity.Current is { } activity && (activity.Source == Source || activity.Recorded) ? activity.TraceId.ToHexString()
        : CallerContext(context.Request.Headers) is { TraceId: var traceId } caller && caller != default ? traceId.ToHexString()
        : null;

    private static ActivityContext CallerContext(IHeaderDictionary headers)
    {
        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, HeaderGetter, out string? traceParent, out string? traceState);
        return traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out ActivityContext context)
            ? context
            : default;
    }
}
