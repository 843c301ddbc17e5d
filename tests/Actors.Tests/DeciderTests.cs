namespace ActorHost.Actors.Tests;

public sealed class DeciderTests
{
    private sealed class SpecialFormatException : FormatException;

    [Fact]
    public void Most_specific_exception_type_wins_then_base_types_then_the_default()
    {
        var decider = Decider.From(
            Directive.Escalate,
            (typeof(Exception), Directive.Restart),
            (typeof(FormatException), Directive.Resume),
            (typeof(SpecialFormatException), Directive.Stop));
        Assert.Equal(Directive.Stop, decider.Decide(new SpecialFormatException()));
        Assert.Equal(Directive.Resume, decider.Decide(new FormatException()));
        Assert.Equal(Directive.Restart, decider.Decide(new InvalidOperationException()));
    }

    [Fact]
    public void Unmatched_exceptions_get_the_default()
    {
        var decider = Decider.From(Directive.Escalate, new[] { new KeyValuePair<Type, Directive>(typeof(FormatException), Directive.Resume) });
        Assert.Equal(Directive.Escalate, decider.Decide(new InvalidOperationException()));
        Assert.Equal(Directive.Resume, decider.Decide(new SpecialFormatException()));
    }

    [Fact]
    public void Default_decider_stops_on_initialization_kill_and_death_pact_and_restarts_otherwise()
    {
        Assert.Equal(Directive.Stop, Decider.Default.Decide(new ActorInitializationException()));
        Assert.Equal(Directive.Stop, Decider.Default.Decide(new PostRestartException()));
        Assert.Equal(Directive.Stop, Decider.Default.Decide(new ActorKilledException()));
        Assert.Equal(Directive.Stop, Decider.Default.Decide(new DeathPactException()));
        Assert.Equal(Directive.Restart, Decider.Default.Decide(new InvalidOperationException()));
    }

    [Fact]
    public void Bad_rules_are_rejected_clearly()
    {
        Assert.Throws<ArgumentException>(() => Decider.From(Directive.Stop, (typeof(string), Directive.Resume)));
        Assert.Throws<ArgumentException>(() => Decider.From(Directive.Stop, (typeof(FormatException), Directive.Resume), (typeof(FormatException), Directive.Stop)));
    }

    [Fact]
    public void Strategy_arguments_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneForOneStrategy(-2, null, Decider.Default));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AllForOneStrategy(1, TimeSpan.Zero, Decider.Default));
        Assert.Null(new OneForOneStrategy(1, Timeout.InfiniteTimeSpan, Decider.Default).WithinTimeRange);
    }
}
