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

/// <summary>The rule validator refuses exactly the types the factory could not build.</summary>
public class FaultRuleExceptionTypeTests
{
    [Theory]
    [InlineData(typeof(AbstractFailureException))]
    [InlineData(typeof(CodeOnlyFailureException))]
    public void A_type_without_a_usable_constructor_is_refused_naming_it(Type type)
    {
        (string Key, string Message) problem = Assert.Single(FaultRuleValidator.Validate(new FaultRule { Exception = type.FullName! }));

        Assert.Equal("exception", problem.Key);
        Assert.Contains($"{type.FullName} cannot be created", problem.Message, StringComparison.Ordinal);
        Assert.Null(ExceptionFactory.ConstructorOf(type));
    }

    [Theory]
    [InlineData(typeof(FormatException), 1)]
    [InlineData(typeof(ParameterlessFailureException), 0)]
    public void A_type_with_a_message_or_parameterless_constructor_is_accepted(Type type, int parameters)
    {
        Assert.Empty(FaultRuleValidator.Validate(new FaultRule { Exception = type.FullName! }));
        Assert.Equal(parameters, ExceptionFactory.ConstructorOf(type)!.GetParameters().Length);
    }

    public abstract class AbstractFailureException(string message) : Exception(message);

    public sealed class CodeOnlyFailureException(int code) : Exception($"code {code}");

    public sealed class ParameterlessFailureException : Exception;
}
