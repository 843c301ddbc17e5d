namespace ActorHost.Actors.Tests;

public sealed class ActorPathTests
{
    [Fact]
    public void Paths_render_parse_and_compare_by_elements()
    {
        var path = ActorPath.Root.Child("user").Child("routes").Child("counter").Child("42");
        Assert.Equal("/user/routes/counter/42", path.ToString());
        Assert.Equal(path, ActorPath.Parse("/user/routes/counter/42"));
        Assert.Equal(["user", "routes", "counter", "42"], path.Elements);
        Assert.Equal(4, path.Depth);
        Assert.True(path.IsDescendantOrSelf(ActorPath.Parse("/user/routes")));
        Assert.False(ActorPath.Parse("/user/routes").IsDescendantOrSelf(path));
        Assert.Equal("/", ActorPath.Root.ToString());
    }

    [Fact]
    public void Bad_paths_are_rejected_clearly()
    {
        Assert.Throws<ArgumentException>(() => ActorPath.Parse("user/x"));
        Assert.Throws<InvalidActorNameException>(() => ActorPath.Root.Child("a b"));
    }
}
