using System.Collections.Concurrent;

namespace ActorHost.Gateway.Telemetry;

/// <summary>A value kept per route, which knows the route it belongs to.</summary>
internal interface IRouteKeyed
{
    /// <summary>The route name the value was made for.</summary>
    string Route { get; }
}

/// <summary>
/// One value per route, made on first use, for numbers the request path updates (requests in progress, the
/// dashboard's statistics). A request looks its route up more than once and call sites pass the route name from
/// the options, so the value found last is compared by reference before the table is searched.
/// </summary>
/// <typeparam name="T">The per-route value.</typeparam>
internal sealed class PerRouteTable<T>(Func<string, T> create)
    where T : class, IRouteKeyed
{
    private readonly ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);
    private T? _last;

    /// <summary>The values made so far.</summary>
    public ICollection<T> Values => _values.Values;

    /// <summary>The route's value, made if it has none yet.</summary>
    public T For(string route)
    {
        T? last = Volatile.Read(ref _last);
        if (last is not null && ReferenceEquals(last.Route, route))
        {
            return last;
        }

        T found = _values.GetOrAdd(route, create);
        Volatile.Write(ref _last, found);
        return found;
    }
}
