using ActorHost.Actors.TestKit;

namespace ActorHost.Actors.Tests;

public sealed class BasicMessagingTests : TestKit.TestKit
{
    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var echo = ActorOf(Props.Create<EchoActor>(), "echo");
        var reply = await echo.Ask<string>("hello", DefaultTimeout);
        Assert.Equal("hello", reply);
    }

    [Fact]
    public void Tell_delivers_in_order_with_the_sender()
    {
        var probe = CreateTestProbe();
        var echo = ActorOf(Props.Create<EchoActor>());
        for (var i = 0; i < 100; i++)
        {
            echo.Tell(i, probe.Ref);
        }

        for (var i = 0; i < 100; i++)
        {
            probe.ExpectMsg(i);
            Assert.Equal(echo, probe.LastSender);
        }
    }

    [Fact]
    public void Actor_path_is_under_user_and_names_are_unique_among_siblings()
    {
        var a = ActorOf(Props.Create<EchoActor>(), "a");
        Assert.Equal("/user/a", a.Path.ToString());
        var e = Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create<EchoActor>(), "a"));
        Assert.Contains("not unique", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("has space")]
    [InlineData("$reserved")]
    public void Invalid_names_are_rejected_clearly(string name)
        => Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create<EchoActor>(), name));

    [Fact]
    public void Constructing_an_actor_with_new_fails_clearly()
    {
        var e = Assert.Throws<ActorInitializationException>(() => new EchoActor());
        Assert.Contains("Props", e.Message, StringComparison.Ordinal);
    }
}
