using System.Text;

namespace ActorHost.Cluster;

/// <summary>
/// The stable mapping of entity keys to shards. Every node, of every version, must compute the same shard
/// for the same key, so the function is fixed forever: 32-bit FNV-1a over the key's UTF-8 bytes, modulo
/// the number of shards. (string.GetHashCode is randomised per process and must never be used here.)
/// </summary>
public static class ShardHash
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    /// <summary>The shard of <paramref name="entityKey"/> among <paramref name="numberOfShards"/> shards.</summary>
    /// <param name="entityKey">The entity key (route value), compared ordinally.</param>
    /// <param name="numberOfShards">The cluster's <c>number-of-shards</c>.</param>
    public static int ShardOf(string entityKey, int numberOfShards)
    {
        ArgumentNullException.ThrowIfNull(entityKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numberOfShards);
        int max = Encoding.UTF8.GetMaxByteCount(entityKey.Length);
        byte[]? rented = null;
        Span<byte> bytes = max <= 256 ? stackalloc byte[max] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(max));
        int length = Encoding.UTF8.GetBytes(entityKey, bytes);
        uint hash = OffsetBasis;
        foreach (byte b in bytes[..length])
        {
            hash = (hash ^ b) * Prime;
        }

        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return (int)(hash % (uint)numberOfShards);
    }
}
