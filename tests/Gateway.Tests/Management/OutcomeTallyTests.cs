using ActorHost.Gateway.Management.Stats;

namespace ActorHost.Gateway.Tests.Management;

/// <summary>The counts by outcome behind a route's statistics.</summary>
public sealed class OutcomeTallyTests
{
    [Fact]
    public void Equal_words_from_different_strings_count_together_and_the_tally_grows_past_its_first_room()
    {
        var tally = new OutcomeTally();
        string[] words = ["ok", "handler-failed", "timeout", "client-error", "client-aborted", "peer-closed"];
        foreach (string word in words)
        {
            tally.Add(word);
        }

        // The same text in a new object (e.g. parsed back from a tag) is the same outcome.
        tally.Add(new string("ok".AsSpan()));
        tally.Add("timeout", 3);

        Dictionary<string, long> counts = tally.ToDictionary();
        Assert.Equal(words.Length, counts.Count);
        Assert.Equal(2, counts["ok"]);
        Assert.Equal(4, counts["timeout"]);
        Assert.Equal(1, counts["peer-closed"]);
        Assert.Equal(words.Length + 4, tally.Total);
    }

    [Fact]
    public void Adding_one_tally_to_another_sums_by_outcome_and_clearing_empties_it()
    {
        var second = new OutcomeTally();
        second.Add("ok", 5);
        second.Add("timeout");
        var window = new OutcomeTally();
        window.Add("ok", 2);

        window.AddAll(second);
        second.Clear();

        Assert.Equal(new Dictionary<string, long> { ["ok"] = 7, ["timeout"] = 1 }, window.ToDictionary());
        Assert.Equal(0, second.Total);
        Assert.Empty(second.ToDictionary());
    }
}
