using System.Text;
using ActorHost.Workers.Samples;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Samples;

public class SampleWorkerTests
{
    private static Task<Harness> StartAsync(SampleWorkerOptions? samples = null) => Harness.StartAsync(
    [
        Harness.Pool("echo", instances: 2, worker: "echo"),
        Harness.Entity("counter", worker: "counter") with { Path = "/counter/{id}/{**action}" },
        Harness.Pool("slow", instances: 2, worker: "slow"),
        Harness.Pool("stream", instances: 2, worker: "stream"),
        Harness.Pool("partial", worker: "partial"),
    ], samples: samples);

    private static Dictionary<string, string> Q(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static Exchange Counter(Harness h, string method, string id, string action = "") =>
        h.Send("counter", action: null, key: id, method: method, routeValues: new Dictionary<string, string> { ["action"] = action });

    [Fact]
    public async Task Echo_answers_the_body_and_content_type()
    {
        await using Harness h = await StartAsync();

        Exchange x = h.Send("echo", action: null, method: "POST", body: "hello, echo"u8.ToArray(), contentType: "text/plain; charset=utf-8");

        Assert.Equal(RequestOutcome.Ok, await x.OutcomeAsync());
        Assert.Equal(200, x.Sink.Status);
        Assert.Equal("hello, echo", x.Sink.BodyText);
        Assert.Equal("text/plain; charset=utf-8", x.Sink.Header("Content-Type"));
        Assert.Equal("11", x.Sink.Header("Content-Length"));
    }

    [Fact]
    public async Task Echo_of_an_empty_body_is_an_empty_200()
    {
        await using Harness h = await StartAsync();

        Exchange x = h.Send("echo", action: null, method: "POST");

        Assert.Equal(RequestOutcome.Ok, await x.OutcomeAsync());
        Assert.Equal(("0", 0), (x.Sink.Header("Content-Length"), x.Sink.Body.Length));
    }

    [Fact]
    public async Task Counter_counts_per_id_and_reports_its_incarnation()
    {
        await using Harness h = await StartAsync();

        await Counter(h, "POST", "c1", "increment").ResultAsync();
        await Counter(h, "POST", "c1", "increment").ResultAsync();
        await Counter(h, "POST", "c2", "increment").ResultAsync();
        Exchange read = Counter(h, "GET", "c1");

        Assert.Equal(RequestOutcome.Ok, await read.OutcomeAsync());
        Assert.Equal("""{"id":"c1","count":2,"incarnation":1}""", read.Sink.BodyText);
        Assert.StartsWith("application/json", read.Sink.Header("Content-Type"));
    }

    [Fact]
    public async Task Counter_fail_throws_and_the_restarted_counter_starts_again_at_zero()
    {
        await using Harness h = await StartAsync();
        await Counter(h, "POST", "c1", "increment").ResultAsync();

        RequestResult failed = await Counter(h, "POST", "c1", "fail").ResultAsync();
        Exchange read = Counter(h, "GET", "c1");

        Assert.Equal(RequestOutcome.HandlerFailed, failed.Outcome);
        Assert.IsType<InvalidOperationException>(failed.Error);
        Assert.Equal(RequestOutcome.Ok, await read.OutcomeAsync());
        Assert.Equal("""{"id":"c1","count":0,"incarnation":2}""", read.Sink.BodyText);
    }

    [Theory]
    [InlineData("POST", "explode", 404)]
    [InlineData("GET", "increment", 405)]
    [InlineData("POST", "", 405)]
    public async Task Counter_rejects_unknown_actions_and_wrong_methods_as_client_errors(string method, string action, int status)
    {
        await using Harness h = await StartAsync();

        Exchange x = Counter(h, method, "c1", action);

        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.ClientError, result.Outcome);
        Assert.Equal(status, Assert.IsType<ClientInputException>(result.Error).StatusCode);
    }

    [Fact]
    public async Task Slow_answers_after_the_delay()
    {
        await using Harness h = await StartAsync();

        Exchange x = h.Send("slow", action: null, query: Q(("ms", "250")));
        Assert.True(h.Clock.WaitForPendingTimers(1, Harness.Guard));
        Assert.False(x.Envelope.IsCompleted);
        h.Clock.Advance(TimeSpan.FromMilliseconds(250));

        Assert.Equal(RequestOutcome.Ok, await x.OutcomeAsync());
        Assert.Equal("""{"ms":250}""", x.Sink.BodyText);
    }

    [Fact]
    public async Task Slow_honours_cancellation_while_it_waits()
    {
        await using Harness h = await StartAsync();
        Exchange x = h.Send("slow", action: null, query: Q(("ms", "60000")));
        Assert.True(h.Clock.WaitForPendingTimers(1, Harness.Guard));

        x.Envelope.Cancel(RequestOutcome.ClientAborted);

        Assert.Equal(RequestOutcome.ClientAborted, await x.OutcomeAsync());
        Assert.Null(x.Sink.Status);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("600001")]
    [InlineData(null)]
    public async Task Slow_rejects_a_bad_ms_with_400(string? ms)
    {
        await using Harness h = await StartAsync();

        Exchange x = h.Send("slow", action: null, query: ms is null ? null : Q(("ms", ms)));

        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.ClientError, result.Outcome);
        Assert.Equal(400, Assert.IsType<ClientInputException>(result.Error).StatusCode);
    }

    [Fact]
    public async Task Stream_sends_count_events_and_ends_cleanly()
    {
        await using Harness h = await StartAsync();

        Exchange x = h.Send("stream", action: null, query: Q(("count", "3"), ("interval-ms", "0")));

        Assert.Equal(RequestOutcome.Ok, await x.OutcomeAsync());
        Assert.Equal("text/event-stream", x.Sink.Header("Content-Type"));
        Assert.Equal(3, CountOf(x.Sink.BodyText, "event: tick"));
        Assert.Contains("id: 3\nevent: tick\ndata: {\"n\":3}\n\n", x.Sink.BodyText);
        Assert.True(x.Sink.Completed);
        Assert.True(x.Sink.Flushes >= 3);
    }

    [Fact]
    public async Task An_endless_stream_ends_with_a_shutdown_event_when_shutdown_begins()
    {
        await using Harness h = await StartAsync();
        Exchange x = h.Send("stream", action: null, query: Q(("interval-ms", "1000")));
        await x.Sink.FirstWrite.WaitAsync(Harness.Guard);
        Assert.True(h.Clock.WaitForPendingTimers(1, Harness.Guard));
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(h.Clock.WaitForPendingTimers(1, Harness.Guard));

        h.Runtime.SignalShutdown();

        Assert.Equal(RequestOutcome.Ok, await x.OutcomeAsync());
        Assert.True(x.Sink.Completed);
        Assert.Equal(2, CountOf(x.Sink.BodyText, "event: tick"));
        Assert.EndsWith("event: shutdown\ndata: {}\n\n", x.Sink.BodyText);
    }

    [Fact]
    public async Task Stream_cut_by_the_request_token_is_a_cancellation_not_a_failure()
    {
        await using Harness h = await StartAsync();
        Exchange x = h.Send("stream", action: null, query: Q(("interval-ms", "1000")));
        await x.Sink.FirstWrite.WaitAsync(Harness.Guard);

        x.Envelope.Cancel(RequestOutcome.ClientAborted);

        Assert.Equal(RequestOutcome.ClientAborted, await x.OutcomeAsync());
        Assert.DoesNotContain("shutdown", x.Sink.BodyText);
    }

    [Fact]
    public async Task Partial_sends_the_bytes_then_fails_after_start()
    {
        await using Harness h = await StartAsync();

        Exchange x = h.Send("partial", action: null, query: Q(("bytes", "5000")));

        Assert.Equal(RequestOutcome.FailedAfterStart, await x.OutcomeAsync());
        Assert.Equal((200, 5000), (x.Sink.Status, x.Sink.Body.Length));
        Assert.False(x.Sink.Completed);
        Assert.True(x.Sink.Flushes >= 1);
    }

    [Fact]
    public async Task With_a_stop_marker_directory_every_stopped_incarnation_leaves_a_marker()
    {
        DirectoryInfo markers = Directory.CreateTempSubdirectory("stop-markers-");
        try
        {
            Harness h = await StartAsync(new SampleWorkerOptions { StopMarkerDirectory = markers.FullName });
            await Counter(h, "POST", "c1", "increment").ResultAsync();
            await Counter(h, "POST", "c1", "fail").ResultAsync();
            await Counter(h, "GET", "c1").ResultAsync();

            await h.Runtime.StopAsync(Harness.Guard);
            await h.DisposeAsync();

            string[] names = [.. markers.GetFiles().Select(f => f.Name).Order()];
            Assert.Contains("counter_c1_1.stopped", names);
            Assert.Contains("counter_c1_2.stopped", names);
            Assert.Contains("echo_worker-1_1.stopped", names);
            Assert.Contains("echo_worker-2_1.stopped", names);
            Assert.Contains("stream_worker-2_1.stopped", names);
            Assert.Equal(2 + 2 + 2 + 2 + 1, names.Length); // counter c1 twice, echo, slow, stream, partial
            Assert.Equal("/user/routes/counter/c1 2\n", File.ReadAllText(Path.Combine(markers.FullName, "counter_c1_2.stopped"), Encoding.UTF8));
        }
        finally
        {
            markers.Delete(recursive: true);
        }
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
