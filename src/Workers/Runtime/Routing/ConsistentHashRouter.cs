using System.Text;

namespace ActorHost.Workers.Runtime.Routing;

/// <summary>
/// The same key always reaches the same worker while the pool is unchanged, and only the keys of a removed
/// worker move when one stops (rendezvous hashing: the worker with the highest hash of key and worker name
/// wins). The key is the route value named by <c>hash-key</c>, else the request header of that name; a
/// request without either is routed round-robin. The hash is FNV-1a, stable across processes and nodes.
/// </summary>
internal sealed class ConsistentHashRouter(string hashKey) : IRouter
{
    private readonly RoundRobinRouter _fallback = new();

    public WorkerSlot Select(WorkerSlot[] slots, RequestEnvelope envelope)
    {
        string? key = KeyOf(envelope.Request);
        if (key is null)
        {
            return _fallback.Select(slots, envelope);
        }

        ulong keyHash = Fnv1a(Fnv1a(OffsetBasis, key), "\0");
        WorkerSlot best = slots[0];
        ulong bestScore = Mix(Fnv1a(keyHash, best.Name));
        for (int i = 1; i < slots.Length; i++)
        {
            ulong score = Mix(Fnv1a(keyHash, slots[i].Name));
            if (score > bestScore)
            {
                best = slots[i];
                bestScore = score;
            }
        }

        return best;
    }

    private string? KeyOf(WorkerRequest request)
    {
        if (request.RouteValue(hashKey) is { Length: > 0 } value)
        {
            return value;
        }

        return request.Headers.TryGetValue(hashKey, out Microsoft.Extensions.Primitives.StringValues header) && header.Count > 0 && !string.IsNullOrEmpty(header[0])
            ? header[0]
            : null;
    }

    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    internal static ulong Fnv1a(ulong hash, string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[] bytes = max <= buffer.Length ? [] : Encoding.UTF8.GetBytes(text);
        ReadOnlySpan<byte> span = max <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : bytes;
        foreach (byte b in span)
        {
            hash = unchecked((hash ^ b) * Prime);
        }

        return hash;
    }

    // FNV's low bits mix poorly for short inputs; a finaliser (from SplitMix64) spreads them.
    private static ulong Mix(ulong x)
    {
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }
}
