using ActorHost.Actors;
using ActorHost.Workers.Faults;
using ActorHost.Workers.Runtime;

namespace ActorHost.Workers.Tests.Runtime;

public class NamingTests
{
    [Theory]
    [InlineData("42", "42")]
    [InlineData("a b", "a%20b")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("$x", "%24x")]
    [InlineData("x$", "x$")]
    [InlineData("50%", "50%25")]
    public void Entity_keys_become_valid_actor_names_and_decode_back(string key, string name)
    {
        Assert.Equal(name, EntityName.Encode(key));
        Assert.Equal(key, EntityName.Decode(name));
        Assert.Equal(name, ActorPath.Root.Child("user").Child(name).Name);
    }

    [Fact]
    public void The_incarnation_ledger_remembers_the_most_recent_names_up_to_its_capacity()
    {
        var ledger = new IncarnationLedger(capacity: 2);
        ledger.Record("a", 3);
        ledger.Record("b", 1);
        ledger.Record("a", 4);
        ledger.Record("c", 7);

        Assert.Equal(2, ledger.Count);
        Assert.Equal(0, ledger.Take("b"));
        Assert.Equal(4, ledger.Take("a"));
        Assert.Equal(0, ledger.Take("a"));
        Assert.Equal(7, ledger.Take("c"));
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("worker-?", "worker-3", true)]
    [InlineData("worker-?", "worker-13", false)]
    [InlineData("/user/routes/counter/*", "/user/routes/counter/42", true)]
    [InlineData("/user/routes/counter/*", "/user/routes/echo/worker-1", false)]
    [InlineData("a.b", "aXb", false)]
    [InlineData("counter", "counter", true)]
    [InlineData("counter", "Counter", false)]
    [InlineData("counter", "counter-2", false)]
    [InlineData("counter", "my-counter", false)]
    [InlineData("a.b", "a.b", true)]
    public void Fault_rule_globs_match_the_whole_text(string pattern, string text, bool matches) =>
        Assert.Equal(matches, new Glob(pattern).IsMatch(text));
}
