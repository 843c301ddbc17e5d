using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace ActorHost.Cluster.Forwarding;

/// <summary>
/// The HMAC that authenticates node-to-node requests: HMAC-SHA256, keyed with the cluster secret, over
/// <c>METHOD \n path-and-query \n timestamp \n nonce \n hex(SHA-256(body))</c>, followed — when the request
/// carries them — by the routing headers (<see cref="Routing"/>: route, route values, shard, origin, request
/// id), since the owner picks the entity from them, and by the SHA-256 of the client's headers (<see cref="ClientHeaders"/>),
/// since the handler reads them. Anyone without the secret can neither reach entity workers through the internal
/// listener nor alter any part of a forwarded request that decides what runs.
/// </summary>
public static class ForwardSignature
{
    // Added by the sending HTTP stack when the client sent none (W3C trace context, the legacy ids, baggage).
    private static readonly HashSet<string> TraceContext = new(StringComparer.OrdinalIgnoreCase)
    {
        "traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context",
    };

    // The headers that name the span a request continues: each hop replaces them with its own.
    private static readonly HashSet<string> TraceIdentity = new(StringComparer.OrdinalIgnoreCase)
    {
        "traceparent", "tracestate", "Request-Id",
    };

    /// <summary>True for a trace-context header (identity or baggage), which the signature leaves out.</summary>
    /// <param name="name">The header name.</param>
    public static bool IsTraceContext(string name) => TraceContext.Contains(name);

    /// <summary>True for a header naming the span a request continues (<c>traceparent</c>, <c>tracestate</c>, <c>Request-Id</c>).</summary>
    /// <param name="name">The header name.</param>
    public static bool IsTraceIdentity(string name) => TraceIdentity.Contains(name);

    private static readonly char[] ListSeparators = [',', ';'];
    private const StringSplitOptions SplitOptions = StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries;

    /// <summary>Computes the base64 signature.</summary>
    /// <param name="key">The cluster secret's UTF-8 bytes.</param>
    /// <param name="method">The HTTP method, upper case.</param>
    /// <param name="pathAndQuery">The path and query string exactly as sent (e.g. <c>/counter/7/increment?x=1</c>).</param>
    /// <param name="timestampMs">The sender's clock, Unix milliseconds.</param>
    /// <param name="nonce">The request's nonce.</param>
    /// <param name="body">The request body (empty for none).</param>
    /// <param name="routing">The routing headers' canonical text (<see cref="Routing"/>); empty when the request has none.</param>
    /// <param name="clientHeaders">The client headers' canonical text (<see cref="ClientHeaders"/>); empty when the request has none.</param>
    public static string Compute(ReadOnlySpan<byte> key, string method, string pathAndQuery, long timestampMs, string nonce, ReadOnlySpan<byte> body, string routing = "", string clientHeaders = "")
    {
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentNullException.ThrowIfNull(clientHeaders);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        ArgumentNullException.ThrowIfNull(nonce);
        Span<byte> bodyHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, bodyHash);
        string headers = string.Empty;
        if (clientHeaders.Length > 0)
        {
            Span<byte> headersHash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(Encoding.UTF8.GetBytes(clientHeaders), headersHash);
            headers = "\nheaders " + Convert.ToHexStringLower(headersHash);
        }

        string canonical = string.Create(CultureInfo.InvariantCulture,
            $"{method}\n{pathAndQuery}\n{timestampMs}\n{nonce}\n{Convert.ToHexStringLower(bodyHash)}{(routing.Length == 0 ? "" : "\n" + routing)}{headers}");
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical), mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>
    /// The canonical text of the routing headers (<see cref="ForwardHeaders.Route"/>, <see cref="ForwardHeaders.RouteValues"/>,
    /// <see cref="ForwardHeaders.Shard"/>, <see cref="ForwardHeaders.Origin"/>, <see cref="ForwardHeaders.RequestId"/>,
    /// <see cref="ForwardHeaders.Deadline"/>), one per line, absent ones empty; empty when all are absent.
    /// </summary>
    /// <param name="header">Reads a header value (null when absent).</param>
    public static string Routing(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        string?[] values =
        [
            header(ForwardHeaders.Route), header(ForwardHeaders.RouteValues), header(ForwardHeaders.Shard),
            header(ForwardHeaders.Origin), header(ForwardHeaders.RequestId), header(ForwardHeaders.Deadline),
        ];
        return values.All(v => v is null) ? string.Empty : string.Join('\n', values.Select(v => v ?? string.Empty));
    }

    /// <summary>
    /// The canonical text of a request's client headers, as the sender forwards them and the owner receives them:
    /// every header <see cref="ForwardHeaders.IsEndToEnd"/> accepts except the trace-context ones (the sender's
    /// HTTP stack may add those itself), one line each, <c>name:value</c> with the name lower-cased, sorted. A value's
    /// list items (separated by commas, or semicolons in cookies) are trimmed and joined with commas, so the same
    /// list sent as one field or several reads the same on both sides. Empty when there are none.
    /// </summary>
    /// <param name="headers">The headers.</param>
    public static string ClientHeaders(IEnumerable<KeyValuePair<string, StringValues>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var lines = new List<string>();
        foreach ((string name, StringValues values) in headers)
        {
            if (ForwardHeaders.IsEndToEnd(name) && !TraceContext.Contains(name))
            {
                lines.Add(name.ToLowerInvariant() + ":" + string.Join(',', values.SelectMany(v => (v ?? string.Empty).Split(ListSeparators, SplitOptions))));
            }
        }

        if (lines.Count == 0)
        {
            return string.Empty;
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
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
