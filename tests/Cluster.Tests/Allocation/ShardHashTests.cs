namespace ActorHost.Cluster.Tests.Allocation;

public sealed class ShardHashTests
{
    [Theory]
    [InlineData("a", 100, 20)]
    [InlineData("a", 100_000, 2220)]
    [InlineData("foobar", 100_000, 35720)]
    [InlineData("user-42", 100, 99)]
    [InlineData("Zürich", 100_000, 33984)]
    [InlineData("", 100_000, 2166136261 % 100_000)]
    public void The_shard_of_a_key_is_fixed_forever(string key, int shards, long expected)
    {
        // FNV-1a 32 over UTF-8 (published vectors: "a" = 0xe40c292c, "foobar" = 0xbf9cf968), modulo shards.
        Assert.Equal(expected, ShardHash.ShardOf(key, shards));
    }

    [Fact]
    public void Long_keys_hash_like_short_ones()
    {
        string key = new('k', 1000);

        Assert.Equal(ShardHash.ShardOf(key, 97), ShardHash.ShardOf(new string(key.ToCharArray()), 97));
        Assert.InRange(ShardHash.ShardOf(key, 97), 0, 96);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => ShardHash.ShardOf(null!, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardHash.ShardOf("a", 0));
    }
}
