using ActorHost.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Outcomes;

/// <summary>A full bounded mailbox on the real runtime: the client and the log must see a busy worker, not a stopped one.</summary>
public sealed class OverloadedOutcomeTests
{
    private const string BoundedRoute = """
        actorhost.actors.mailbox { type = bounded, capacity = 1, overflow = reject }
        actorhost.routes.g { path = "/g", methods = [GET], worker = gate, mode = pool, instances = 1 }
        """;

    [Fact]
    public async Task A_request_refused_by_a_full_mailbox_is_answered_overloaded_not_as_a_stopped_worker()
    {
        await using RealGateway gateway = await RealGateway.StartAsync(BoundedRoute);
        Task<Http.Answer> busy = gateway.Client.GetAnswerAsync("/g?action=wait&gate=a");
        await gateway.Gates.Entered("a");
        Task<Http.Answer> queued = gateway.Client.GetAnswerAsync("/g?action=count");
        await SupervisionDirectiveTests.WaitForMailboxAsync(gateway, "/user/routes/g/worker-1", depth: 1);

        // The only worker is busy and its mailbox (capacity 1) holds the request above.
        Http.Answer refused = await gateway.Client.GetAnswerAsync("/g?action=count");
        CapturedLog line = await gateway.Logs.WaitForAsync(r => r.Category == "ActorHost.Requests" && r.EventId.Id == 1 && r.Text("Outcome") == "overloaded");
        gateway.Gates.Release("a");

        Assert.Equal(200, (await busy).Status);
        Assert.Equal(200, (await queued).Status);
        Assert.Equal(503, refused.Status);
        Assert.NotNull(refused.Response.Headers.RetryAfter);
        Assert.Equal("overloaded", refused.Json.GetProperty("outcome").GetString());
        Assert.Equal("The worker for this request is busy (its mailbox is full); try again later.", refused.Json.GetProperty("title").GetString());

        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal("/user/routes/g/worker-1", line.Text("WorkerPath"));
        Assert.Equal(1, line["Incarnation"]);
        Assert.Null(line.Exception);

        // The worker was never stopped: the next request is served by the same incarnation.
        Assert.Equal(200, (await gateway.Client.GetAnswerAsync("/g?action=count")).Status);
        Assert.DoesNotContain(gateway.Logs.Records, r => r.EventId.Name is "WorkerStopped" or "WorkerFailed");
    }
}
