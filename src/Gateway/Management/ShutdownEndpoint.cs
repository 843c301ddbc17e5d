using ActorHost.Gateway.Shutdown;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Management;

/// <summary>
/// <c>POST /shutdown</c> (token required): starts the graceful shutdown through <see cref="IShutdownHandle"/>,
/// exactly as SIGTERM would, and answers 202 with the phase it is in (as the log names it: <c>drain-delay</c>, …); a second call answers 202 too (already under way).
/// Answers 501 when the gateway was built without a shutdown handle.
/// </summary>
internal static class ShutdownEndpoint
{
    public static void Map(RouteGroupBuilder group, IServiceProvider gatewayServices, ILogger log)
    {
        group.MapPost("/shutdown", (HttpContext http) =>
        {
            if (gatewayServices.GetService<IShutdownHandle>() is not { } handle)
            {
                return Results.Problem(statusCode: StatusCodes.Status501NotImplemented, title: "This gateway has no shutdown handle.");
            }

            string reason = "POST /shutdown";
            ManagementLog.ShutdownRequested(log, http.Connection.RemoteIpAddress?.ToString(), reason);
            bool started = handle.Shutdown(reason);
            return Results.Json(new { started, phase = handle.Phase.Name(), reason = handle.Reason }, statusCode: StatusCodes.Status202Accepted);
        });
    }
}
