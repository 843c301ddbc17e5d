using Microsoft.AspNetCore.Http;

namespace ActorHost.Gateway.Configuration;

/// <summary>
/// Checks listener addresses the way Kestrel will read them (<see cref="BindingAddress"/>), so that an address
/// it cannot bind (no host, a port above 65535, a path) is a configuration problem before anything listens
/// instead of an exception while the gateway starts.
/// </summary>
internal static class ListenerAddresses
{
    /// <summary>What is wrong with each address that Kestrel could not bind; empty when all are fine.</summary>
    /// <param name="urls">The addresses, e.g. <c>http://127.0.0.1:8080</c>.</param>
    public static IReadOnlyList<string> Problems(IEnumerable<string> urls) =>
        [.. urls.Select(Problem).OfType<string>()];

    /// <summary>What is wrong with <paramref name="url"/>, or null when Kestrel can bind it.</summary>
    public static string? Problem(string url)
    {
        const string Expected = "(expected http:// or https:// with a host and a port between 0 and 65535, e.g. http://127.0.0.1:8080)";
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return $"\"{url}\" is not an http:// or https:// address {Expected}";
        }

        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return $"\"{url}\" is not a valid address {Expected}";
        }

        if (address.IsUnixPipe || address.IsNamedPipe)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(address.Host))
        {
            return $"\"{url}\" has no host {Expected}";
        }

        if (address.Port is < 0 or > 65535)
        {
            return $"\"{url}\": port {address.Port} is out of range {Expected}";
        }

        // Kestrel refuses a path base in a listener address (it belongs to UsePathBase).
        if (!string.IsNullOrEmpty(address.PathBase))
        {
            return $"\"{url}\" has a path (\"{address.PathBase}\"); a listener address is only scheme, host and port";
        }

        return null;
    }
}
