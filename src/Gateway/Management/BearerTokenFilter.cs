using System.Security.Cryptography;
using System.Text;
using ActorHost.Gateway.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Management;

/// <summary>
/// Guards the mutating management endpoints with <c>Authorization: Bearer &lt;actorhost.management.token&gt;</c>.
/// No token configured → the endpoints do not exist (404). A missing or wrong token → 401, logged.
/// </summary>
internal sealed class BearerTokenFilter : IEndpointFilter
{
    private readonly byte[]? _tokenHash;
    private readonly ILogger _log;

    public BearerTokenFilter(string token, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(token);
        _tokenHash = token.Length == 0 ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        _log = log;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext http = context.HttpContext;
        if (_tokenHash is null)
        {
            GatewayLog.ManagementRefused(_log, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString(), "no management token is configured");
            return Results.NotFound();
        }

        string? presented = ReadBearer(http.Request.Headers.Authorization.ToString());
        if (presented is null || !Matches(presented))
        {
            GatewayLog.ManagementRefused(_log, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString(),
                presented is null ? "no bearer token" : "wrong bearer token");
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Unauthorized();
        }

        return await next(context);
    }

    private bool Matches(string presented)
    {
        // Hashing first makes both sides the same length, so the comparison leaks neither content nor length.
        byte[] presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(presentedHash, _tokenHash);
    }

    private static string? ReadBearer(string header)
    {
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length
            ? header[Scheme.Length..].Trim()
            : null;
    }
}
