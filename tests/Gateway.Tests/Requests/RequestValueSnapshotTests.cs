using ActorHost.Gateway.Requests;

namespace ActorHost.Gateway.Tests.Requests;

/// <summary>The copy of route values, query and headers a worker gets: a dictionary's semantics without its cost.</summary>
public sealed class RequestValueSnapshotTests
{
    [Fact]
    public void Keys_are_found_in_any_case_and_a_repeated_key_keeps_its_first_spelling_and_last_value()
    {
        var snapshot = new RequestValueSnapshot<string?>(2);
        snapshot.Set("Content-Type", "text/plain");
        snapshot.Set("X-Id", "1");
        snapshot.Set("x-id", "2");

        Assert.Equal(2, snapshot.Count);
        Assert.Equal("text/plain", snapshot["content-type"]);
        Assert.True(snapshot.TryGetValue("X-ID", out string? id));
        Assert.Equal("2", id);
        Assert.Equal(["Content-Type", "X-Id"], snapshot.Keys);
        Assert.False(snapshot.ContainsKey("missing"));
        Assert.Throws<KeyNotFoundException>(() => snapshot["missing"]);
    }

    [Fact]
    public void Past_the_scan_limit_lookups_go_through_an_index_and_nothing_is_lost()
    {
        var snapshot = new RequestValueSnapshot<int>(0);
        for (int i = 0; i < 1000; i++)
        {
            snapshot.Set($"key-{i}", i);
        }

        snapshot.Set("KEY-7", 70);

        Assert.Equal(1000, snapshot.Count);
        Assert.Equal(70, snapshot["key-7"]);
        Assert.Equal(999, snapshot["Key-999"]);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i == 7 ? 70 : i), snapshot.Values);
    }
}
