using ActorHost.Workers.Faults;

namespace ActorHost.Workers.Tests.Faults;

public class ExceptionFactoryTests
{
    [Fact]
    public void A_type_with_a_message_constructor_gets_the_rule_message()
    {
        Exception created = ExceptionFactory.Create(typeof(FormatException), "boom");

        Assert.Equal("boom", Assert.IsType<FormatException>(created).Message);
    }

    [Fact]
    public void A_type_with_only_a_parameterless_constructor_is_built_without_the_message()
    {
        Exception created = ExceptionFactory.Create(typeof(NoMessageException), "ignored");

        Assert.IsType<NoMessageException>(created);
        Assert.Equal(NoMessageException.Text, created.Message);
    }

    [Fact]
    public void Every_call_builds_a_fresh_exception()
    {
        // Exceptions carry their throw site: two faults must never share one instance.
        Exception first = ExceptionFactory.Create(typeof(InvalidOperationException), "one");
        Exception second = ExceptionFactory.Create(typeof(InvalidOperationException), "two");

        Assert.NotSame(first, second);
        Assert.Equal(("one", "two"), (first.Message, second.Message));
    }

    private sealed class NoMessageException : Exception
    {
        public const string Text = "built without a message";

        public NoMessageException()
            : base(Text)
        {
        }
    }
}
