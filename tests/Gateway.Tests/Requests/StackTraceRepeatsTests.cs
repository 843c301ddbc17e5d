using ActorHost.Actors.TestKit;
using ActorHost.Gateway.Requests;

namespace ActorHost.Gateway.Tests.Requests;

public class StackTraceRepeatsTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void The_first_failure_of_a_kind_keeps_its_stack_trace_and_repeats_name_its_request()
    {
        var repeats = new StackTraceRepeats(TimeSpan.FromMinutes(1), _time);
        Exception first = Thrown("boom");
        Exception second = Thrown("boom");
        Exception third = Thrown("boom");

        Assert.Same(first, repeats.ForLine("counter", "req-1", first));
        var summary = Assert.IsType<RepeatedFailureException>(repeats.ForLine("counter", "req-2", second));
        var again = Assert.IsType<RepeatedFailureException>(repeats.ForLine("counter", "req-3", third));

        Assert.Same(second, summary.Failure);
        Assert.Equal("req-1", summary.FirstRequestId);
        Assert.StartsWith("System.InvalidOperationException: boom (repeat 1 of the failure whose stack trace is on the line of request req-1 at 2000-01-01T00:00:00", summary.ToString(), StringComparison.Ordinal);
        Assert.Contains("(repeat 2 ", again.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ActorHost.", summary.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_route_exception_type_or_throwing_method_is_another_kind_but_another_message_is_not()
    {
        var repeats = new StackTraceRepeats(TimeSpan.FromMinutes(1), _time);
        repeats.ForLine("counter", "req-1", Thrown("boom"));

        Exception otherRoute = Thrown("boom");
        Exception otherType = ThrownFormat("boom");
        Exception otherSite = ThrownElsewhere("boom");
        Exception otherMessage = Thrown("entity 42 failed");

        Assert.Same(otherRoute, repeats.ForLine("echo", "req-2", otherRoute));
        Assert.Same(otherType, repeats.ForLine("counter", "req-3", otherType));
        Assert.Same(otherSite, repeats.ForLine("counter", "req-4", otherSite));
        var repeat = Assert.IsType<RepeatedFailureException>(repeats.ForLine("counter", "req-5", otherMessage));
        Assert.StartsWith("System.InvalidOperationException: entity 42 failed (repeat 1 ", repeat.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_window_shows_the_stack_trace_once_more()
    {
        var repeats = new StackTraceRepeats(TimeSpan.FromMinutes(1), _time);
        repeats.ForLine("counter", "req-1", Thrown("boom"));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.IsType<RepeatedFailureException>(repeats.ForLine("counter", "req-2", Thrown("boom")));

        _time.Advance(TimeSpan.FromSeconds(1));
        Exception fresh = Thrown("boom");

        Assert.Same(fresh, repeats.ForLine("counter", "req-3", fresh));
        Assert.Equal("req-3", Assert.IsType<RepeatedFailureException>(repeats.ForLine("counter", "req-4", Thrown("boom"))).FirstRequestId);
    }

    private static InvalidOperationException Thrown(string message)
    {
        try
        {
            throw new InvalidOperationException(message);
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }

    private static InvalidOperationException ThrownElsewhere(string message)
    {
        try
        {
            throw new InvalidOperationException(message);
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }

    private static FormatException ThrownFormat(string message)
    {
        try
        {
            throw new FormatException(message);
        }
        catch (FormatException e)
        {
            return e;
        }
    }
}
