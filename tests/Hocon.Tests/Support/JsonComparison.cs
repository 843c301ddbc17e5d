using System.Globalization;
using System.Text.Json;

namespace ActorHost.Hocon.Tests.Support;

/// <summary>
/// Structural comparison of a resolved HOCON value with JSON: key order is ignored, numbers compare by
/// value. Returns a description of the first difference, or null when they are equal.
/// </summary>
public static class JsonComparison
{
    public static string? Difference(JsonElement expected, HoconValue actual, string path = "$")
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual is not HoconObject obj)
                {
                    return $"{path}: expected an object, got {actual.ToJson()}";
                }

                var expectedKeys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in expected.EnumerateObject())
                {
                    expectedKeys.Add(property.Name);
                    if (!obj.TryGetValue(property.Name, out var child))
                    {
                        return $"{path}.{property.Name}: missing";
                    }

                    if (Difference(property.Value, child, $"{path}.{property.Name}") is { } d)
                    {
                        return d;
                    }
                }

                var extra = obj.Keys.Where(k => !expectedKeys.Contains(k)).ToList();
                return extra.Count == 0 ? null : $"{path}: unexpected keys {string.Join(", ", extra)}";
            case JsonValueKind.Array:
                if (actual is not HoconArray array)
                {
                    return $"{path}: expected an array, got {actual.ToJson()}";
                }

                if (array.Count != expected.GetArrayLength())
                {
                    return $"{path}: expected {expected.GetArrayLength()} elements, got {array.Count}: {actual.ToJson()}";
                }

                var i = 0;
                foreach (var element in expected.EnumerateArray())
                {
                    if (Difference(element, array[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }

                    i++;
                }

                return null;
            case JsonValueKind.String:
                return actual is HoconString s && s.Value == expected.GetString()
                    ? null
                    : $"{path}: expected string {expected.GetRawText()}, got {actual.ToJson()}";
            case JsonValueKind.Number:
                return actual is HoconNumber n && NumbersEqual(expected.GetRawText(), n.Text)
                    ? null
                    : $"{path}: expected number {expected.GetRawText()}, got {actual.ToJson()}";
            case JsonValueKind.True:
            case JsonValueKind.False:
                return actual is HoconBoolean b && b.Value == (expected.ValueKind == JsonValueKind.True)
                    ? null
                    : $"{path}: expected {expected.GetRawText()}, got {actual.ToJson()}";
            default:
                return actual is HoconNull ? null : $"{path}: expected null, got {actual.ToJson()}";
        }
    }

    private static bool NumbersEqual(string a, string b)
    {
        if (decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var da)
            && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var db))
        {
            return da == db;
        }

        return double.Parse(a, CultureInfo.InvariantCulture).Equals(double.Parse(b, CultureInfo.InvariantCulture));
    }
}
