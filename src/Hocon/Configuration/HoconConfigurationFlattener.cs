namespace ActorHost.Hocon;

/// <summary>
/// Flattens a resolved object into <see cref="Microsoft.Extensions.Configuration.IConfiguration"/> keys:
/// nested keys joined with ':' and list elements keyed by index, as the JSON provider does, so options
/// binding (<c>IOptions&lt;T&gt;</c>) works on HOCON sections. Numbers keep their text; booleans are
/// <c>true</c>/<c>false</c>; null, empty objects and empty lists become a key with a null value.
/// </summary>
internal static class HoconConfigurationFlattener
{
    public static Dictionary<string, string?> Flatten(HoconObject root)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in root)
        {
            Add(data, key, value);
        }

        return data;
    }

    private static void Add(Dictionary<string, string?> data, string key, HoconValue value)
    {
        switch (value)
        {
            case HoconObject { Count: 0 }:
            case HoconArray { Count: 0 }:
            case HoconNull:
                data[key] = null;
                break;
            case HoconObject obj:
                foreach (var (childKey, child) in obj)
                {
                    Add(data, key + ":" + childKey, child);
                }

                break;
            case HoconArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Add(data, key + ":" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), array[i]);
                }

                break;
            default:
                data[key] = ValueReader.ReadString(value, key);
                break;
        }
    }
}
