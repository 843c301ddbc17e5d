using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster.Forwarding;

/// <summary>
/// Authenticates requests arriving on the internal listener: a valid <see cref="ForwardSignature"/> made with
/// the cluster secret, a timestamp within <c>replay-window</c> of this node's clock, and a nonce not seen
/// before. Every refusal is logged (Warning, EventName <c>ForwardRefused</c>) with its reason, except a full replay
/// guard (more requests within one window than it can remember): Error, EventName <c>ReplayGuardFull</c>.
/// </summary>
public sealed class ForwardVerifier
{
    private const string GuardFull = "replay-guard-full";

    private readonly byte[] _key;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly ReplayGuard _replays;
    private readonly int _replayCapacity;
    private readonly ILogger _log;

    /// <summary>Creates a verifier for the cluster's secret.</summary>
    /// <param name="options">The cluster options (secret, replay window).</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="timeProvider">Clock; null = system.</param>
    public ForwardVerifier(ClusterOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
        : this(options, loggerFactory, timeProvider, ReplayGuard.DefaultCapacity)
    {
    }

    /// <summary>Creates a verifier whose replay guard remembers at most <paramref name="replayCapacity"/> nonces (tests).</summary>
    internal ForwardVerifier(ClusterOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider, int replayCapacity)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _key = Encoding.UTF8.GetBytes(options.Secret);
        _window = options.ReplayWindow;
        _time = timeProvider ?? TimeProvider.System;
        _replays = new ReplayGuard(_window, _time, replayCapacity);
        _replayCapacity = replayCapacity;
        _log = loggerFactory.CreateLogger(ForwardLog.Category);
    }

    /// <summary>Checks one request; logs and returns the reason when it is refused.</summary>
    /// <param name="method">The request method.</param>
    /// <param name="pathAndQuery">The request target exactly as received.</param>
    /// <param name="header">Reads a request header (null when absent).</param>
    /// <param name="body">The request body.</param>
    /// <param name="remote">The peer's address, for the log.</param>
    /// <param name="clientHeaders">The canonical text of the client headers received (<see cref="ForwardSignature.ClientHeaders"/>).</param>
    /// <returns>Null when authentic; otherwise the refusal reason word.</returns>
    public string? Verify(string method, string pathAndQuery, Func<string, string?> header, ReadOnlySpan<byte> body, string? remote, string clientHeaders = "")
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(clientHeaders);
        string? reason = Check(method, pathAndQuery, header, body, clientHeaders);
        if (reason == GuardFull)
        {
            // Not an attack on the signature but this node's limit: an operator has to act.
            ForwardLog.ReplayGuardFull(_log, _replayCapacity, _window, method, pathAndQuery, header(ForwardHeaders.Origin), remote);
        }
        else if (reason is not null)
        {
            ForwardLog.Refused(_log, reason, method, pathAndQuery, header(ForwardHeaders.Origin), remote);
        }

        return reason;
    }

    private string? Check(string method, string pathAndQuery, Func<string, string?> header, ReadOnlySpan<byte> body, string clientHeaders)
    {
        string? signature = header(ForwardHeaders.Signature);
        string? timestampText = header(ForwardHeaders.Timestamp);
        string? nonce = header(ForwardHeaders.Nonce);
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestampText) || string.IsNullOrEmpty(nonce))
        {
            return "missing-signature";
        }

        if (!long.TryParse(timestampText, NumberStyles.Integer, CultureInfo.InvariantCulture, out long timestamp))
        {
            return "bad-signature";
        }

        string expected = ForwardSignature.Compute(_key, method, pathAndQuery, timestamp, nonce, body, ForwardSignature.Routing(header), clientHeaders);
        if (!ForwardSignature.Matches(expected, signature))
        {
            return "bad-signature";
        }

        // Checked after the signature, so an outsider cannot learn anything about our clock from the answers.
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        long window = (long)_window.TotalMilliseconds;
        if (timestamp < now - window || timestamp > now + window)
        {
            return "stale-timestamp";
        }

        return _replays.TryAccept(nonce, timestamp) switch
        {
            ReplayVerdict.Accepted => null,
            ReplayVerdict.BeforeHorizon => "stale-timestamp",
            ReplayVerdict.Full => GuardFull,
            _ => "replayed",
        };
    }
}
