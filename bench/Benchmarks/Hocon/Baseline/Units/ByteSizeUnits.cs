using System.Numerics;

namespace ActorHost.Benchmarks.Hocon.Baseline.Units;

/// <summary>
/// Sizes in bytes: a number is bytes; a string is a number and a unit, powers of ten (kB, MB, … YB and
/// their long forms) or powers of two (K/k/Ki/KiB, M/m/Mi/MiB, … and their long forms), exactly as the spec lists.
/// </summary>
internal static class ByteSizeUnits
{
    public const string Expected = "size in bytes";
    private const string UnitList = "B, kB, MB, GB, TB, PB, EB, ZB, YB (powers of 10) or K, Ki, KiB, M, Mi, MiB, G, … (powers of 2), or their long forms";

    private static readonly Dictionary<string, BigInteger> Bytes = Build();

    /// <summary>Parses to a byte count, or returns an error message.</summary>
    public static (BigInteger Bytes, string? Error) ToBytes(string number, string unit)
    {
        if (!Bytes.TryGetValue(unit.Length == 0 ? "B" : unit, out var factor))
        {
            return (0, $"unknown size unit '{unit}' (expected {UnitList})");
        }

        if (!DecimalText.TryParse(number, out var mantissa, out var exponent))
        {
            return (0, $"'{number}' is not a number");
        }

        var bytes = DecimalText.Scale(mantissa, exponent, factor);
        return bytes.Sign < 0 ? (0, "a size in bytes cannot be negative") : (bytes, null);
    }

    private static Dictionary<string, BigInteger> Build()
    {
        var table = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (var name in (string[])["B", "b", "byte", "bytes"])
        {
            table[name] = BigInteger.One;
        }

        string[] decimalShort = ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
        string[] decimalLong = ["kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte", "exabyte", "zettabyte", "yottabyte"];
        string[] binaryLetter = ["K", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] binaryLong = ["kibibyte", "mebibyte", "gibibyte", "tebibyte", "pebibyte", "exbibyte", "zebibyte", "yobibyte"];
        for (var i = 0; i < 8; i++)
        {
            var power10 = BigInteger.Pow(1000, i + 1);
            table[decimalShort[i]] = power10;
            table[decimalLong[i]] = power10;
            table[decimalLong[i] + "s"] = power10;

            var power2 = BigInteger.Pow(1024, i + 1);
            var letter = binaryLetter[i];
            table[letter] = power2;
            table[letter.ToLowerInvariant()] = power2;
            table[letter + "i"] = power2;
            table[letter + "iB"] = power2;
            table[binaryLong[i]] = power2;
            table[binaryLong[i] + "s"] = power2;
        }

        return table;
    }
}
