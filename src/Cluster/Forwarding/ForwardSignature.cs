using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ActorHost.Cluster.Forwarding;

/// <summary>
/// The HMAC that authenticates node-to-node requests: HMAC-SHA256, keyed with the cluster secret, over
/// <c>METHOD \n path-and-query \n timestamp \n nonce \n hex(SHA-256(body))</c>, followed — when the request
/// carries them — by the routing headers (<see cref="Routing"/>: route, route values, shard, origin, request
/// id), since the owner picks the entity from them. Anyone without the secret can neither reach entity
/// workers through the internal listener nor alter any part of a forwarded request that decides what runs.
/// </summary>
public static class ForwardSignature
{
    /// <summary>Computes the base64 signature.</summary>
    /// <param name="key">The cluster secret's UTF-8 bytes.</param>
    /// <param name="method">The HTTP method, upper case.</param>
    /// <param name="pathAndQuery">The path and query string exactly as sent (e.g. <c>/counter/7/increment?x=1</c>).</param>
    /// <param name="timestampMs">The sender's clock, Unix milliseconds.</param>
    /// <param name="nonce">The request's nonce.</param>
    /// <param name="body">The request body (empty for none).</param>
    /// <param name="routing">The routing headers' canonical text (<see cref="Routing"/>); empty when the request has none.</param>
    public static string Compute(ReadOnlySpan<byte> key, string method, string pathAndQuery, long timestampMs, string nonce, ReadOnlySpan<byte> body, string routing = "")
    {
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        ArgumentNullException.ThrowIfNull(nonce);
        Span<byte> bodyHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, bodyHash);
        string canonical = string.Create(CultureInfo.InvariantCulture,
            $"{method}\n{pathAndQuery}\n{timestampMs}\n{nonce}\n{Convert.ToHexStringLower(bodyHash)}{(routing.Length == 0 ? "" : "\n" + routing)}");
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical), mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>
    /// The canonical text of the routing headers (<see cref="ForwardHeaders.Route"/>, <see cref="ForwardHeaders.RouteValues"/>,
    /// <see cref="ForwardHeaders.Shard"/>, <see cref="ForwardHeaders.Origin"/>, <see cref="ForwardHeaders.RequestId"/>), one per
    /// line, absent ones empty; empty when all are absent.
    /// </summary>
    /// <param name="header">Reads a header value (null when absent).</param>
    public static string Routing(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        string?[] values =
        [
            header(ForwardHeaders.Route), header(ForwardHeaders.RouteValues), header(ForwardHeaders.Shard),
            header(ForwardHeaders.Origin), header(ForwardHeaders.RequestId),
        ];
        return values.All(v => v is null) ? string.Empty : string.Join('\n', values.Select(v => v ?? string.Empty));
    }

    /// <summary>Compares two signatures in constant time.</summary>
    /// <param name="expected">The signature computed here.</param>
    /// <param name="presented">The signature the request carried.</param>
    public static bool Matches(string expected, string? presented)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (presented is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(presented));
    }
}
