using System.Diagnostics;
using ActorHost.Gateway.Telemetry;
using ActorHost.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RouteOptions = ActorHost.Workers.Options.RouteOptions;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// Ends every request no route serves — no route matches (404), or the route does not allow the method (405, whose
/// <c>Allow</c> header stays) — as the routes' requests end: the gateway's problem document, one request-finished
/// line (route <c>""</c>, outcome <c>client_error</c>), one count in the metrics and one span. The metrics and the span
/// never carry the raw path: every unrouted request shares the route tag <see cref="RouteName"/>, and its span is
/// named by the method alone.
/// </summary>
internal sealed class UnroutedRequests
{
    /// <summary>The route of an unrouted request in its line and its metrics.</summary>
    public const string RouteName = "";

    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _requestLog;

    private UnroutedRequests(GatewayMetrics metrics, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _metrics = metrics;
        _time = time;
        _requestLog = loggerFactory.CreateLogger(RequestLog.Category);
    }

    /// <summary>Routes the gateway's requests, then sees to those no route endpoint serves.</summary>
    public static void Use(WebApplication app)
    {
        IServiceProvider services = app.Services;
        var unrouted = new UnroutedRequests(services.GetRequiredService<GatewayMetrics>(), services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>());

        // Explicitly here so that this middleware runs after the endpoint is chosen and before it runs.
        app.UseRouting();
        app.Use(next => context => context.GetEndpoint()?.Metadata.GetMetadata<RouteOptions>() is not null
            ? next(context)
            : unrouted.ServeAsync(context, next));
    }

    private async Task ServeAsync(HttpContext context, RequestDelegate next)
    {
        long startedAt = _time.GetTimestamp();
        string method = context.Request.Method;
        string path = context.Request.Path.Value ?? "/";
        using Activity? activity = GatewayTracing.StartUnrouted(context, method);
        _metrics.RequestStarted(RouteName);
        long bytes = 0;
        try
        {
            // ASP.NET Core's answer: the 405 endpoint sets the status and Allow; with no endpoint at all, 404.
            await next(context);
            if (!context.Response.HasStarted)
            {
                int status = context.Response.StatusCode >= 400 ? context.Response.StatusCode : StatusCodes.Status404NotFound;
                bytes = await ProblemResponse.WriteAsync(context, status, RequestOutcome.ClientError, Detail(status, method),
                    null, development: false, retryAfter: null);
            }
        }
        finally
        {
            int status = context.Response.StatusCode;
            string outcome = RequestOutcome.ClientError.ToWord();
            TimeSpan duration = _time.GetElapsedTime(startedAt);

            // Counted before the line is written, as a routed request's is.
            _metrics.RequestFinished(RouteName, outcome, status, forwarded: false, duration);
            double durationMs = Math.Round(duration.TotalMilliseconds, 3);
            RequestLog.RequestFinished(_requestLog, LogLevel.Information, null, method, path, status, outcome, durationMs, bytes, RouteName, null, null, null, clientLeft: false, aborted: false);
            if (activity is not null)
            {
                GatewayTracing.EndRequest(activity, outcome, status, clientLeft: false, errorType: null, failed: status >= 500);
            }
        }
    }

    private static string Detail(int status, string method) => status switch
    {
        StatusCodes.Status404NotFound => "No route matches the request's path.",
        StatusCodes.Status405MethodNotAllowed => $"The route does not allow the method {method}; the Allow header lists those it does.",
        _ => "No route serves the request.",
    };
}
