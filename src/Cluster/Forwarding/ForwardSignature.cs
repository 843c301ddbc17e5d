using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ActorHost.Cluster.Forwarding;

/// <summary>
/// The HMAC that authenticates node-to-node requests: HMAC-SHA256, keyed with the cluster secret, over
/// <c>METHOD \n path-and-query \n timestamp \n nonce \n hex(SHA-256(body))</c>. Anyone without the secret
/// can neither reach entity workers through the internal listener nor alter a forwarded request.
/// </summary>
public static class ForwardSignature
{
    /// <summary>Computes the base64 signature.</summary>
    /// <param name="key">The cluster secret's UTF-8 bytes.</param>
    /// <param name="method">The HTTP method, upper case.</param>
    /// <param name="pathAndQuery">The path and query string exactly as sent (e.g. <c>/counter/7/increment?x=1</c>).</param>
    /// <param name="timestampMs">The sender's clock, Unix milliseconds.</param>
    /// <param name="nonce">The request's nonce.</param>
    /// <param name="body">The request body (empty for none).</param>
    public static string Compute(ReadOnlySpan<byte> key, string method, string pathAndQuery, long timestampMs, string nonce, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        ArgumentNullException.ThrowIfNull(nonce);
        Span<byte> bodyHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, bodyHash);
        string canonical = string.Create(CultureInfo.InvariantCulture,
            $"{method}\n{pathAndQuery}\n{timestampMs}\n{nonce}\n{Convert.ToHexStringLower(bodyHash)}");
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical), mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>Compares two signatures in constant time.</summary>
    /// <param name="expected">The signature computed here.</param>
    /// <param name="presented">The signature the request carried.</param>
    public static bool Matches(string expected, string? presented)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (presented is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(presented));
    }
}
