using System.Security.Cryptography;
using System.Text;
using ActorHost.Gateway.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Management;

/// <summary>
/// Guards the mutating management endpoints (those carrying <see cref="ManagementTokenRequired"/>) with
/// <c>Authorization: Bearer &lt;actorhost.management.token&gt;</c>. No token configured → the endpoints do not exist
/// (404). A missing or wrong token → 401, logged.
/// </summary>
/// <remarks>
/// A middleware between routing and the endpoint, not an endpoint filter: a minimal-API endpoint binds its body
/// before its filters run, so a filter let an anonymous caller's malformed or non-JSON body be answered 400 or 415
/// (unlogged) instead of 401, and told them how the body is read before they proved who they are.
/// </remarks>
internal sealed class BearerTokenGuard
{
    private readonly byte[]? _tokenHash;
    private readonly ILogger _log;

    public BearerTokenGuard(string token, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(token);
        _tokenHash = token.Length == 0 ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        _log = log;
    }

    /// <summary>Lets the request through when its endpoint needs no token or the right one is presented; answers it otherwise.</summary>
    public Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        if (http.GetEndpoint()?.Metadata.GetMetadata<ManagementTokenRequired>() is null)
        {
            return next(http);
        }

        if (_tokenHash is null)
        {
            GatewayLog.ManagementRefused(_log, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString(), "no management token is configured");
            return Results.NotFound().ExecuteAsync(http);
        }

        string? presented = ReadBearer(http.Request.Headers.Authorization.ToString());
        if (presented is null || !Matches(presented))
        {
            GatewayLog.ManagementRefused(_log, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString(),
                presented is null ? "no bearer token" : "wrong bearer token");
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Unauthorized().ExecuteAsync(http);
        }

        return next(http);
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
