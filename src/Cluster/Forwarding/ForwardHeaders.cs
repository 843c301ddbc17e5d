namespace ActorHost.Cluster.Forwarding;

/// <summary>
/// Header names of the node-to-node protocol. A forwarded request is the client's request (method, path,
/// query, headers, body) sent to the owner's internal listener over HTTP/2 (h2c), plus these headers.
/// </summary>
public static class ForwardHeaders
{
    /// <summary>
    /// Request header (signed with the routing headers): how many milliseconds the sender still waits for the answer,
    /// the rest of its route timeout. The owner times the request out a little before that, so the timeout is its
    /// verdict (504 timeout with the worker named) rather than the sender resetting the stream (a client leaving).
    /// </summary>
    public const string Deadline = "ActorHost-Deadline";

    /// <summary>Sender's clock when signing, Unix milliseconds.</summary>
    public const string Timestamp = "ActorHost-Timestamp";

    /// <summary>A random value unique per request (replay protection within the window).</summary>
    public const string Nonce = "ActorHost-Nonce";

    /// <summary>Base64 HMAC-SHA256, see <see cref="ForwardSignature"/>.</summary>
    public const string Signature = "ActorHost-Signature";

    /// <summary>The sending node's id.</summary>
    public const string Origin = "ActorHost-Origin";

    /// <summary>The original request id (the receiving node's trace identifier).</summary>
    public const string RequestId = "ActorHost-Request-Id";

    /// <summary>The route name.</summary>
    public const string Route = "ActorHost-Route";

    /// <summary>The route values, as a JSON object of strings.</summary>
    public const string RouteValues = "ActorHost-Route-Values";

    /// <summary>The shard and the epoch the sender believes current, <c>shard:epoch</c>.</summary>
    public const string Shard = "ActorHost-Shard";

    /// <summary>Response trailer (or header when the owner answered without starting a response): the owner's outcome word.</summary>
    public const string Outcome = "ActorHost-Outcome";

    /// <summary>Response trailer: the serving worker's actor path on the owner, <see cref="Encode">percent-encoded</see>.</summary>
    public const string Worker = "ActorHost-Worker";

    /// <summary>Response trailer: the serving worker's incarnation.</summary>
    public const string Incarnation = "ActorHost-Incarnation";

    /// <summary>Response trailer: the serving node's id.</summary>
    public const string Node = "ActorHost-Node";

    /// <summary>Response header/trailer: the exception type of a failed handler on the owner, <see cref="Encode">percent-encoded</see>.</summary>
    public const string ErrorType = "ActorHost-Error-Type";

    /// <summary>Response header/trailer: the exception message of a failed handler on the owner, <see cref="Encode">percent-encoded</see>.</summary>
    public const string ErrorMessage = "ActorHost-Error-Message";

    /// <summary>
    /// Response header, value <c>1</c>: the owner had the whole body before it sent anything (<see cref="WholeResponse"/>),
    /// so the sender holds the response until the trailers.
    /// </summary>
    public const string Whole = "ActorHost-Whole";

    /// <summary>
    /// A text for a header of this protocol: percent-encoded (UTF-8), since header values must be ASCII, and an actor
    /// path (an entity key), a type name or a message need not be.
    /// </summary>
    public static string Encode(string value) => Uri.EscapeDataString(value);

    /// <summary>The text <see cref="Encode"/> made, or null for a header that was not there.</summary>
    public static string? Decode(string? value) => value is null ? null : Uri.UnescapeDataString(value);

    // Hop-by-hop and transport headers never cross a proxy (RFC 9110 §7.6.1), plus those HTTP/2 forbids.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "Trailer",
        "Host", "Content-Length", "Proxy-Authorization", "Proxy-Authenticate", "Date", "Server",
    };

    /// <summary>
    /// True for an end-to-end header, one that travels through a forward (the client's request headers to the owner,
    /// the owner's response headers back): not hop-by-hop or transport, not a pseudo-header, and not one of this
    /// protocol's own (<c>ActorHost-*</c>).
    /// </summary>
    /// <param name="name">The header name.</param>
    public static bool IsEndToEnd(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return !NotForwarded.Contains(name) && !name.StartsWith("ActorHost-", StringComparison.OrdinalIgnoreCase) && !name.StartsWith(':');
    }
}
