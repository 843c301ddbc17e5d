namespace ActorHost.Workers.Tests.Contract;

public sealed class RequestOutcomeWordTests
{
    [Fact]
    public void Every_outcome_has_a_distinct_snake_case_word_that_parses_back()
    {
        RequestOutcome[] outcomes = Enum.GetValues<RequestOutcome>();
        string[] words = outcomes.Select(o => o.ToWord()).ToArray();

        Assert.Equal(words.Length, words.Distinct(StringComparer.Ordinal).Count());
        foreach (RequestOutcome outcome in outcomes)
        {
            string word = outcome.ToWord();
            Assert.Matches("^[a-z]+(_[a-z]+)*$", word);
            Assert.True(RequestOutcomeExtensions.TryParseWord(word, out RequestOutcome parsed));
            Assert.Equal(outcome, parsed);
        }
    }

    [Fact]
    public void Gateway_fault_is_answered_500_like_a_handler_failure()
    {
        Assert.Equal("gateway_fault", RequestOutcome.GatewayFault.ToWord());
        Assert.Equal(500, RequestOutcome.GatewayFault.GatewayStatus());
        Assert.Null(RequestOutcome.Ok.GatewayStatus());
    }

    [Fact]
    public void Shard_unavailable_is_answered_503_so_clients_retry()
    {
        Assert.Equal("shard_unavailable", RequestOutcome.ShardUnavailable.ToWord());
        Assert.Equal(503, RequestOutcome.ShardUnavailable.GatewayStatus());
    }

    [Fact]
    public void Overloaded_is_answered_503_so_clients_retry()
    {
        Assert.Equal("overloaded", RequestOutcome.Overloaded.ToWord());
        Assert.Equal(503, RequestOutcome.Overloaded.GatewayStatus());
    }
}
