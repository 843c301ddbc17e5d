using System.Text.Json;
using ActorHost.Gateway.Requests;

namespace ActorHost.Gateway.Tests.Requests;

/// <summary>The problem body is built with a writer reused per thread: each body must still stand alone.</summary>
public class ProblemResponseTests
{
    [Fact]
    public void Each_problem_carries_only_its_own_fields_after_a_larger_one_on_the_same_thread()
    {
        var failure = new InvalidOperationException(new string('x', 40_000));
        byte[] large = ProblemResponse.Serialize("r1", null, 500, "handler_failed", "The request handler failed.", "first detail", failure, development: true);
        byte[] small = ProblemResponse.Serialize("r2", null, 503, "rejected", "The gateway is shutting down; try again later.", null, null, development: false);

        using JsonDocument first = JsonDocument.Parse(large);
        using JsonDocument second = JsonDocument.Parse(small);
        Assert.Equal("first detail", first.RootElement.GetProperty("detail").GetString());
        Assert.Equal(failure.Message, first.RootElement.GetProperty("exception").GetProperty("message").GetString());
        Assert.Equal(
            """{"type":"urn:actorhost:outcome:rejected","title":"The gateway is shutting down; try again later.","status":503,"outcome":"rejected","requestId":"r2"}""",
            System.Text.Encoding.UTF8.GetString(small));
        Assert.False(second.RootElement.TryGetProperty("detail", out _));
    }

    [Fact]
    public void Bodies_from_one_thread_do_not_share_memory()
    {
        byte[] first = ProblemResponse.Serialize("a", null, 500, "handler_failed", "t", null, null, development: false);
        byte[] copy = (byte[])first.Clone();
        ProblemResponse.Serialize("b", null, 504, "timeout", "t", "later", null, development: false);

        Assert.Equal(copy, first);
    }
}
