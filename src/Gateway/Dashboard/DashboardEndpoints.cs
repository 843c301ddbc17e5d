using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace ActorHost.Gateway.Dashboard;

/// <summary>
/// <c>GET /dashboard</c> and its assets (<c>/dashboard/app.js</c>, <c>/dashboard/app.css</c>): plain files
/// embedded in the assembly, so the page needs no build step, no CDN and no files beside the executable.
/// It reads <c>/workers</c> and <c>/stats</c> once, then lives on <c>/events</c>.
/// </summary>
internal static class DashboardEndpoints
{
    private const string Prefix = "dashboard/";
    private static readonly ConcurrentDictionary<string, Asset?> Assets = new(StringComparer.Ordinal);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", (HttpContext http) => Serve(http, "index.html"));
        app.MapGet("/dashboard/{file}", (HttpContext http, string file) => Serve(http, file));
    }

    private static IResult Serve(HttpContext http, string file)
    {
        if (Assets.GetOrAdd(file, Load) is not { } asset)
        {
            return Results.NotFound();
        }

        // A 304 repeats the validator and the caching rule (RFC 9110, 15.4.5).
        http.Response.Headers.ETag = asset.ETag;
        http.Response.Headers.CacheControl = "no-cache";
        if (Matches(http.Request.GetTypedHeaders().IfNoneMatch, asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        // The page loads nothing from elsewhere; say so to the browser too.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    /// <summary>If-None-Match's weak comparison: any listed tag with the same opaque value (W/ or not), or <c>*</c>.</summary>
    private static bool Matches(IList<EntityTagHeaderValue> ifNoneMatch, string etag)
    {
        var current = new EntityTagHeaderValue(etag);
        return ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }

    private static Asset? Load(string file)
    {
        // Only plain names: no path segments can reach other resources.
        if (file.Contains('/', StringComparison.Ordinal) || file.Contains('\\', StringComparison.Ordinal) || file.StartsWith('.'))
        {
            return null;
        }

        using Stream? stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + file);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        byte[] content = buffer.ToArray();
        string etag = "\"" + Convert.ToHexString(SHA256.HashData(content))[..16] + "\"";
        return new Asset(content, ContentTypeOf(file), etag);
    }

    private static string ContentTypeOf(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string ETag);
}
