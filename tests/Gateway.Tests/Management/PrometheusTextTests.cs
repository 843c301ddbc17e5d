using ActorHost.Gateway.Management.Metrics;

namespace ActorHost.Gateway.Tests.Management;

/// <summary>Our Prometheus text writer against the format checker, and the checker against broken input.</summary>
public sealed class PrometheusTextTests
{
    private static readonly MetricFamily[] Families =
    [
        new("jobs", "Jobs done.\nBy route \\ kind.", MetricKind.Counter,
            [new MetricPoint([new("route", "a\"b\\c\nd")], 3), new MetricPoint([new("route", "plain")], 0)]),
        new("queue_depth", "Depth.", MetricKind.Gauge, [new MetricPoint([], -2.5)]),
        new("latency_seconds", "Latency.", MetricKind.Histogram,
            [new MetricPoint([new("route", "x")], 1.75, 4, [0.1, 1], [1, 2, 1])]),
    ];

    [Fact]
    public void Writer_output_escapes_labels_and_help_and_passes_the_format_check()
    {
        string text = PrometheusTextWriter.Write(Families);

        Assert.Empty(PrometheusFormatChecker.Check(text));
        Assert.Contains("# HELP jobs_total Jobs done.\\nBy route \\\\ kind.\n", text, StringComparison.Ordinal);
        Assert.Contains("jobs_total{route=\"a\\\"b\\\\c\\nd\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("queue_depth -2.5\n", text, StringComparison.Ordinal);
        Assert.Contains("latency_seconds_bucket{route=\"x\",le=\"0.1\"} 1\nlatency_seconds_bucket{route=\"x\",le=\"1\"} 3\nlatency_seconds_bucket{route=\"x\",le=\"+Inf\"} 4\nlatency_seconds_sum{route=\"x\"} 1.75\nlatency_seconds_count{route=\"x\"} 4\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("actorhost.gateway.requests", "actorhost_gateway_requests")]
    [InlineData("9lives", "_9lives")]
    [InlineData("a-b c", "a_b_c")]
    public void Names_are_sanitised_to_the_metric_name_alphabet(string raw, string expected) =>
        Assert.Equal(expected, PrometheusTextWriter.SanitizeName(raw));

    [Theory]
    [InlineData("# TYPE a counter\na 1", "line feed")]
    [InlineData("# TYPE a-b counter\n", "invalid metric name")]
    [InlineData("# TYPE a counter\n# TYPE a counter\na 1\n", "second TYPE")]
    [InlineData("a 1\n# TYPE a counter\n", "after its samples")]
    [InlineData("# TYPE a wibble\n", "unknown type")]
    [InlineData("a{x=\"1\\t\"} 1\n", "invalid escape")]
    [InlineData("a{x=\"1\",x=\"2\"} 1\n", "appears twice")]
    [InlineData("a{__x=\"1\"} 1\n", "invalid label name")]
    [InlineData("a 1\na 2\n", "duplicate series")]
    [InlineData("a 1\nb 1\na{x=\"y\"} 1\n", "not in one group")]
    [InlineData("a one\n", "invalid value")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_sum 1\nh_count 2\n", "+Inf")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"2\"} 2\nh_bucket{le=\"+Inf\"} 3\nh_sum 1\nh_count 3\n", "not cumulative")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_sum 1\nh_count 4\n", "differs from _count")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_count 3\n", "missing _sum")]
    [InlineData("# TYPE c counter\nc -1\n", "negative")]
    public void Checker_rejects_each_broken_rule(string text, string problem) =>
        Assert.Contains(PrometheusFormatChecker.Check(text), p => p.Contains(problem, StringComparison.Ordinal));
}
