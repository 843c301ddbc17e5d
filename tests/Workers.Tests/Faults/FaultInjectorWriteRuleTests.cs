using ActorHost.Workers.Faults;
using ActorHost.Workers.Options;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Faults;

/// <summary>Write rules need a faulting sink on the request; requests get one only while such a rule exists.</summary>
public class FaultInjectorWriteRuleTests
{
    private static WorkerRequest Request(string id) => new() { RequestId = id, Route = "p", Method = "POST", Path = "/p" };

    [Fact]
    public void An_enabled_injector_without_write_rules_leaves_the_response_unwrapped()
    {
        var injector = new FaultInjector(new FaultOptions { Enabled = true, Rules = [new FaultRule { Point = FaultPoint.BeforeHandle, Nth = 5 }] });

        using RequestEnvelope envelope = injector.CreateEnvelope(Request("r1"), new MemorySink());

        Assert.Null(envelope.FaultingSink);
    }

    [Fact]
    public void A_write_rule_counts_only_requests_that_arrived_after_it_so_its_nth_call_can_strike()
    {
        var injector = new FaultInjector(new FaultOptions { Enabled = true });
        using RequestEnvelope before = injector.CreateEnvelope(Request("before"), new MemorySink());
        int id = injector.Add(new FaultRule { Point = FaultPoint.OnWrite, Nth = 1, Message = "reset" });
        using RequestEnvelope after = injector.CreateEnvelope(Request("after"), new MemorySink());

        Assert.Null(injector.OnHandle(before, "p", "/user/routes/p/w1", "w1"));
        Assert.Equal((0L, 0L), Calls(injector, id));

        Assert.Null(injector.OnHandle(after, "p", "/user/routes/p/w1", "w1"));
        Assert.NotNull(after.FaultingSink);
        Assert.Equal((1L, 1L), Calls(injector, id));
    }

    [Fact]
    public void Removing_the_last_write_rule_stops_wrapping_new_requests()
    {
        var injector = new FaultInjector(new FaultOptions { Enabled = true });
        int id = injector.Add(new FaultRule { Point = FaultPoint.AfterBytes, AfterBytes = 10 });
        using RequestEnvelope wrapped = injector.CreateEnvelope(Request("r1"), new MemorySink());
        injector.Remove(id);
        using RequestEnvelope plain = injector.CreateEnvelope(Request("r2"), new MemorySink());

        Assert.NotNull(wrapped.FaultingSink);
        Assert.Null(plain.FaultingSink);
    }

    private static (long Calls, long Fired) Calls(FaultInjector injector, int id)
    {
        FaultRuleStatus status = Assert.Single(injector.Rules, r => r.Id == id);
        return (status.Calls, status.Fired);
    }
}
