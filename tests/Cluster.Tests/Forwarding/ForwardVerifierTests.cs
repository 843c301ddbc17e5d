using System.Globalization;
using ActorHost.Cluster.Forwarding;
using ActorHost.Cluster.Tests.Forwarding.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ActorHost.Cluster.Tests.Forwarding;

public sealed class ForwardVerifierTests : IDisposable
{
    private const string Target = "/counter/7/increment?x=1";
    private static readonly byte[] Body = Forward.Utf8("{\"by\":2}");
    private readonly ManualClock _clock = new();
    private readonly CapturedLog _log = new();
    private readonly ForwardVerifier _verifier;
    private int _nonces;

    public ForwardVerifierTests() => _verifier = new ForwardVerifier(Forward.Options(), _log.Factory, _clock);

    public void Dispose() => _log.Factory.Dispose();

    /// <summary>The headers a sender with <paramref name="secret"/> puts on a request.</summary>
    private Dictionary<string, string> Signed(string method = "POST", string target = Target, byte[]? body = null, string? secret = null,
        TimeSpan? skew = null, string? nonce = null, IReadOnlyDictionary<string, string>? routing = null, IDictionary<string, StringValues>? client = null)
    {
        long timestamp = (_clock.GetUtcNow() + (skew ?? TimeSpan.Zero)).ToUnixTimeMilliseconds();
        nonce ??= "nonce-" + Interlocked.Increment(ref _nonces).ToString(CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [ForwardHeaders.Timestamp] = timestamp.ToString(CultureInfo.InvariantCulture),
            [ForwardHeaders.Nonce] = nonce,
            [ForwardHeaders.Origin] = "node-b",
        };
        foreach ((string name, string value) in routing ?? new Dictionary<string, string>())
        {
            headers[name] = value;
        }

        string routingText = ForwardSignature.Routing(name => headers.GetValueOrDefault(name));
        string clientText = ForwardSignature.ClientHeaders(client ?? new Dictionary<string, StringValues>());
        headers[ForwardHeaders.Signature] = ForwardSignature.Compute(Forward.Utf8(secret ?? Forward.Secret), method, target, timestamp, nonce, body ?? Body, routingText, clientText);
        return headers;
    }

    private string? Verify(Dictionary<string, string> headers, string method = "POST", string target = Target, byte[]? body = null, IDictionary<string, StringValues>? client = null) =>
        _verifier.Verify(method, target, name => headers.GetValueOrDefault(name), body ?? Body, "10.0.0.9",
            ForwardSignature.ClientHeaders(client ?? new Dictionary<string, StringValues>()));

    private static Dictionary<string, StringValues> ClientHeaders(params (string Name, StringValues Values)[] headers) =>
        headers.ToDictionary(h => h.Name, h => h.Values, StringComparer.OrdinalIgnoreCase);

    private void AssertRefusalLogged(string reason, string method = "POST", string target = Target)
    {
        CapturedLine line = Assert.Single(_log.Lines, l => l.EventId.Id == 600);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal("ForwardRefused", line.EventId.Name);
        Assert.Equal(ForwardLog.Category, line.Category);
        Assert.Contains(line.State, kv => kv.Key == "Reason" && Equals(kv.Value, reason));
        Assert.Contains(line.State, kv => kv.Key == "Method" && Equals(kv.Value, method));
        Assert.Contains(line.State, kv => kv.Key == "Target" && Equals(kv.Value, target));
        Assert.Contains(line.State, kv => kv.Key == "Remote" && Equals(kv.Value, "10.0.0.9"));
        Assert.Contains(reason, line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_validly_signed_fresh_request_is_accepted_and_nothing_is_logged()
    {
        Assert.Null(Verify(Signed()));
        Assert.DoesNotContain(_log.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public void A_request_without_a_body_is_accepted_when_signed_over_the_empty_body()
    {
        Assert.Null(Verify(Signed(method: "GET", body: []), method: "GET", body: []));
    }

    [Theory]
    [InlineData("ActorHost-Signature")]
    [InlineData("ActorHost-Timestamp")]
    [InlineData("ActorHost-Nonce")]
    public void A_request_missing_any_signing_header_is_refused_as_missing_signature(string header)
    {
        Dictionary<string, string> headers = Signed();
        headers.Remove(header);

        Assert.Equal("missing-signature", Verify(headers));
        AssertRefusalLogged("missing-signature");
    }

    [Fact]
    public void A_request_with_empty_signing_headers_is_refused_as_missing_signature()
    {
        Dictionary<string, string> headers = Signed();
        headers[ForwardHeaders.Signature] = "";

        Assert.Equal("missing-signature", Verify(headers));
        AssertRefusalLogged("missing-signature");
    }

    [Fact]
    public void A_request_signed_with_another_key_is_refused_as_bad_signature()
    {
        Assert.Equal("bad-signature", Verify(Signed(secret: "another-secret-of-at-least-32-characters")));
        AssertRefusalLogged("bad-signature");
    }

    [Fact]
    public void A_request_whose_body_was_altered_is_refused_as_bad_signature()
    {
        Assert.Equal("bad-signature", Verify(Signed(), body: Forward.Utf8("{\"by\":200}")));
        AssertRefusalLogged("bad-signature");
    }

    [Theory]
    [InlineData("/counter/8/increment?x=1")]
    [InlineData("/counter/7/increment?x=2")]
    [InlineData("/counter/7/increment")]
    public void A_request_whose_target_was_altered_is_refused_as_bad_signature(string altered)
    {
        Assert.Equal("bad-signature", Verify(Signed(), target: altered));
        AssertRefusalLogged("bad-signature", target: altered);
    }

    [Fact]
    public void A_request_whose_method_was_altered_is_refused_as_bad_signature()
    {
        Assert.Equal("bad-signature", Verify(Signed(), method: "DELETE"));
        AssertRefusalLogged("bad-signature", method: "DELETE");
    }

    [Fact]
    public void A_request_whose_timestamp_was_altered_is_refused_as_bad_signature()
    {
        Dictionary<string, string> headers = Signed();
        headers[ForwardHeaders.Timestamp] = (long.Parse(headers[ForwardHeaders.Timestamp], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);

        Assert.Equal("bad-signature", Verify(headers));
        AssertRefusalLogged("bad-signature");
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999999")]
    public void A_request_with_an_unreadable_timestamp_is_refused_as_bad_signature(string timestamp)
    {
        Dictionary<string, string> headers = Signed();
        headers[ForwardHeaders.Timestamp] = timestamp;

        Assert.Equal("bad-signature", Verify(headers));
        AssertRefusalLogged("bad-signature");
    }

    [Theory]
    [InlineData(-30_001)]
    [InlineData(30_001)]
    [InlineData(-3_600_000)]
    [InlineData(3_600_000)]
    public void A_validly_signed_request_outside_the_replay_window_is_refused_as_stale(int skewMs)
    {
        Assert.Equal("stale-timestamp", Verify(Signed(skew: TimeSpan.FromMilliseconds(skewMs))));
        AssertRefusalLogged("stale-timestamp");
    }

    [Theory]
    [InlineData(-30_000)]
    [InlineData(30_000)]
    public void A_request_exactly_at_the_edge_of_the_window_is_accepted(int skewMs)
    {
        Assert.Null(Verify(Signed(skew: TimeSpan.FromMilliseconds(skewMs))));
    }

    [Fact]
    public void A_request_that_aged_past_the_window_before_arriving_is_refused_as_stale()
    {
        Dictionary<string, string> headers = Signed();
        _clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal("stale-timestamp", Verify(headers));
        AssertRefusalLogged("stale-timestamp");
    }

    [Fact]
    public void The_same_request_sent_twice_is_refused_the_second_time_as_replayed()
    {
        Dictionary<string, string> headers = Signed();

        Assert.Null(Verify(headers));
        Assert.Equal("replayed", Verify(headers));
        AssertRefusalLogged("replayed");
    }

    [Fact]
    public void A_fresh_request_refused_because_the_replay_guard_is_full_is_not_called_a_replay_and_is_logged_as_an_error()
    {
        var log = new CapturedLog();
        using ILoggerFactory factory = log.Factory;
        var full = new ForwardVerifier(Forward.Options(), factory, _clock, replayCapacity: 1);
        Dictionary<string, string> first = Signed();
        Dictionary<string, string> second = Signed();

        Assert.Null(full.Verify("POST", Target, name => first.GetValueOrDefault(name), Body, "10.0.0.9"));
        Assert.Equal("replay-guard-full", full.Verify("POST", Target, name => second.GetValueOrDefault(name), Body, "10.0.0.9"));

        CapturedLine line = Assert.Single(log.Lines);
        Assert.Equal((607, "ReplayGuardFull", LogLevel.Error), (line.EventId.Id, line.EventId.Name, line.Level));
        Assert.Contains("replay-guard-full", line.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string?> AlteredClientHeaders => new()
    {
        { "value changed", "Authorization", "Bearer forged" },
        { "header added", "X-Role", "admin" },
        { "header removed", "Content-Type", null },
        { "content type changed", "Content-Type", "application/x-evil" },
    };

    [Theory]
    [MemberData(nameof(AlteredClientHeaders))]
    public void A_request_whose_client_headers_were_altered_in_transit_is_refused_as_bad_signature(string change, string header, string? value)
    {
        Dictionary<string, StringValues> sent = ClientHeaders(("Authorization", "Bearer genuine"), ("Content-Type", "application/json"));
        Dictionary<string, string> headers = Signed(client: sent);
        var received = new Dictionary<string, StringValues>(sent, StringComparer.OrdinalIgnoreCase);
        if (value is null)
        {
            received.Remove(header);
        }
        else
        {
            received[header] = value;
        }

        Assert.True(Verify(headers, client: received) == "bad-signature", change);
        AssertRefusalLogged("bad-signature");
    }

    [Fact]
    public void Client_headers_verify_however_the_transport_splits_orders_or_cases_them_and_trace_context_is_not_signed()
    {
        Dictionary<string, string> headers = Signed(client: ClientHeaders(("Accept", new StringValues(["text/plain", "application/json"])), ("X-Tenant", "t1"), ("Cookie", "a=1; b=2")));

        // One field instead of two, other order and case, cookies split, and a trace context the sending stack added.
        Dictionary<string, StringValues> received = ClientHeaders(("cookie", new StringValues(["a=1", "b=2"])), ("x-tenant", "t1"), ("accept", "text/plain, application/json"),
            ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("Host", "node-a:9000"), ("Content-Length", "8"));

        Assert.Null(Verify(headers, client: received));
    }

    [Fact]
    public void A_refused_request_does_not_spend_its_nonce()
    {
        // A forged copy (bad body) arriving first must not block the genuine request with the same nonce.
        Dictionary<string, string> headers = Signed(nonce: "shared");

        Assert.Equal("bad-signature", Verify(headers, body: Forward.Utf8("forged")));
        Assert.Null(Verify(headers));
    }

    [Fact]
    public void A_replay_is_refused_for_as_long_as_its_timestamp_could_pass()
    {
        // Signed as far in the future as the window allows: it stays acceptable by timestamp for two windows.
        Dictionary<string, string> headers = Signed(skew: TimeSpan.FromSeconds(30));
        Assert.Null(Verify(headers));

        foreach (TimeSpan step in new[] { TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(1) })
        {
            _clock.Advance(step);
            Assert.Equal("replayed", Verify(headers));
        }

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("stale-timestamp", Verify(headers));
    }

    [Fact]
    public void A_request_seen_before_a_step_back_of_the_clock_is_not_accepted_again()
    {
        Dictionary<string, string> headers = Signed();
        Assert.Null(Verify(headers));

        // 75 s later its nonce has been forgotten (a fresh request triggers the sweep) ...
        _clock.Advance(TimeSpan.FromSeconds(75));
        Assert.Null(Verify(Signed()));

        // ... and then the wall clock steps back 60 s: the old timestamp is within the 30 s window again.
        _clock.StepWallClock(TimeSpan.FromSeconds(-60));
        Assert.Equal("stale-timestamp", Verify(headers));
        AssertRefusalLogged("stale-timestamp");
        Assert.Null(Verify(Signed()));
    }

    [Theory]
    [InlineData("ActorHost-Route", "other-route")]
    [InlineData("ActorHost-Route-Values", "{\"id\":\"8\"}")]
    [InlineData("ActorHost-Shard", "9:1")]
    [InlineData("ActorHost-Origin", "node-z")]
    [InlineData("ActorHost-Request-Id", "someone-else")]
    [InlineData("ActorHost-Deadline", "600000")]
    public void A_request_whose_routing_headers_were_altered_is_refused(string header, string altered)
    {
        var routing = new Dictionary<string, string>
        {
            [ForwardHeaders.Route] = "counter",
            [ForwardHeaders.RouteValues] = "{\"id\":\"7\"}",
            [ForwardHeaders.Shard] = "7:3",
            [ForwardHeaders.RequestId] = "r-1",
            [ForwardHeaders.Deadline] = "950",
        };
        Dictionary<string, string> genuine = Signed(routing: routing);
        Assert.Null(Verify(genuine));

        Dictionary<string, string> headers = Signed(routing: routing);
        headers[header] = altered;

        Assert.Equal("bad-signature", Verify(headers));
    }

    [Fact]
    public void The_refusal_names_the_claimed_origin()
    {
        Dictionary<string, string> headers = Signed(secret: "another-secret-of-at-least-32-characters");

        Verify(headers);

        CapturedLine line = Assert.Single(_log.Lines, l => l.EventId.Id == 600);
        Assert.Contains(line.State, kv => kv.Key == "Origin" && Equals(kv.Value, "node-b"));
    }
}
