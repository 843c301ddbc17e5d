namespace ActorHost.Hocon;

/// <summary>
/// Flattens a resolved object into <see cref="Microsoft.Extensions.Configuration.IConfiguration"/> keys:
/// nested keys joined with ':' and list elements keyed by index, as the JSON provider does, so options
/// binding (<c>IOptions&lt;T&gt;</c>) works on HOCON sections. Numbers keep their text; booleans are
/// <c>true</c>/<c>false</c>; null, empty objects and empty lists become a key with a null value.
/// Two settings that flatten to the same key (IConfiguration keys ignore case: <c>Level</c> and <c>level</c>;
/// or <c>"a:b"</c> and <c>a.b</c>) are an error naming both, as the JSON provider refuses duplicate keys:
/// keeping one would silently drop the other.
/// </summary>
internal static class HoconConfigurationFlattener
{
    public static Dictionary<string, string?> Flatten(HoconObject root)
    {
        var flattening = new Flattening();
        foreach (var (key, value) in root)
        {
            flattening.Add(key, value);
        }

        return flattening.Data;
    }

    private sealed class Flattening
    {
        // Where each key came from and how it was spelt, to name both settings when two collide.
        private readonly Dictionary<string, (string Key, HoconOrigin Origin)> _definedBy = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, string?> Data { get; } = new(StringComparer.OrdinalIgnoreCase);

        public void Add(string key, HoconValue value)
        {
            switch (value)
            {
                case HoconObject { Count: 0 }:
                case HoconArray { Count: 0 }:
                case HoconNull:
                    Set(key, null, value.Origin);
                    break;
                case HoconObject obj:
                    foreach (var (childKey, child) in obj)
                    {
                        Add(key + ":" + childKey, child);
                    }

                    break;
                case HoconArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        Add(key + ":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), array[i]);
                    }

                    break;
                default:
                    Set(key, ValueReader.ReadString(value, key), value.Origin);
                    break;
            }
        }

        private void Set(string key, string? text, HoconOrigin origin)
        {
            if (_definedBy.TryGetValue(key, out var earlier))
            {
                throw new HoconException(
                    origin,
                    $"'{key}' and '{earlier.Key}' (at {earlier.Origin}) are the same IConfiguration key (keys ignore case and join levels with ':'), so one would silently hide the other: rename one of them");
            }

            _definedBy.Add(key, (key, origin));
            Data.Add(key, text);
        }
    }
}
