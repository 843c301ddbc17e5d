using ActorHost.Gateway.Telemetry;

namespace ActorHost.Gateway.Tests.Telemetry;

/// <summary>The per-route values the request path looks up by name.</summary>
public sealed class PerRouteTableTests
{
    [Fact]
    public void A_route_gets_one_value_whichever_string_names_it_and_each_route_its_own()
    {
        int made = 0;
        var table = new PerRouteTable<Named>(route =>
        {
            made++;
            return new Named(route);
        });

        Named echo = table.For("echo");
        Named counter = table.For("counter");

        // The same name in other strings (the remembered value is compared by reference first, then the table).
        Assert.Same(echo, table.For(new string("echo".AsSpan())));
        Assert.Same(counter, table.For(new string("counter".AsSpan())));
        Assert.Same(echo, table.For("echo"));
        Assert.NotSame(echo, counter);
        Assert.Equal(2, made);
        Assert.Equal(2, table.Values.Count);
    }

    private sealed class Named(string route) : IRouteKeyed
    {
        public string Route { get; } = route;
    }
}
