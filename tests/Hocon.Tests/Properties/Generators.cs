using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace ActorHost.Hocon.Tests.Properties;

/// <summary>Generators for the property tests: resolved value trees, and HOCON-flavoured garbage.</summary>
public static class Generators
{
    private static readonly char[] Awkward = ['"', '\\', '.', '$', '{', '}', '[', ']', ':', '=', ',', '#', '/', '\n', '\r', '\t', '\u0000', '\u001f', ' ', '\u00a0', '\u2028', 'é', '€', '\ud83d', '\ude00'];

    /// <summary>Strings mixing plain letters with every character that needs quoting or escaping, lone surrogates included.</summary>
    public static Gen<string> AnyString { get; } =
        Gen.Frequency(
                (6, Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-_".ToCharArray())),
                (3, Gen.Elements(Awkward)),
                (1, Gen.Choose(0, 0xFFFF).Select(i => (char)i)))
            .ListOf()
            .Select(chars => new string(chars.Take(20).ToArray()));

    /// <summary>Number text obeying the JSON grammar, including the unusual forms (-0, 1E+5, 0.000e-0).</summary>
    public static Gen<string> NumberText { get; } =
        from negative in Gen.Elements(false, false, true)
        from integer in Gen.Frequency((1, Gen.Constant("0")), (4, Gen.Choose(1, int.MaxValue).Select(i => i.ToString(CultureInfo.InvariantCulture))), (1, Gen.Constant("12345678901234567890123")))
        from fraction in Gen.Frequency((3, Gen.Constant("")), (1, Gen.Choose(0, 999_999).Select(i => "." + i.ToString(CultureInfo.InvariantCulture))))
        from exponent in Gen.Frequency((4, Gen.Constant("")), (1, Gen.Choose(-30, 30).SelectMany(e => Gen.Elements("e", "E", "e+", "E-").Select(p => p + Math.Abs(e).ToString(CultureInfo.InvariantCulture)))))
        select (negative ? "-" : "") + integer + fraction + exponent;

    /// <summary>Resolved values: objects and arrays nest as deep as the size allows.</summary>
    public static Gen<HoconObject> AnyObject { get; } = Gen.Sized(size => ObjectOfSize(Math.Min(size, 30), AnyString));

    /// <summary>Objects whose strings are well-formed UTF-16 (what a JSON library can read back).</summary>
    public static Gen<HoconObject> WellFormedObject { get; } = Gen.Sized(size => ObjectOfSize(Math.Min(size, 30), AnyString.Select(WithoutLoneSurrogates)));

    /// <summary>Text made of HOCON's significant characters and fragments: mostly invalid, sometimes not.</summary>
    public static Gen<string> Garbage { get; } =
        Gen.Frequency(
                (10, Gen.Elements("a", "b", "1", "0.5", "-", ".", " ", "\n", "\t", "x y", "true", "null", "é")),
                (10, Gen.Elements("{", "}", "[", "]", ",", ":", "=", "+=", "\"", "\"\"\"", "$", "${", "${?", "?", "#", "//", "/", "\\", "+", "@", "\r", "\u00a0", "\ufeff", "\ud800")),
                (3, Gen.Elements("include ", "include \"x\"", "include file(\"nothere\")", "include required(", "include url(\"u\")", "a.b.c", "\"a.b\"", "${a}", "${?a}", "a = ${a}", "a += 1", "1e5", "10s", "\"\\u12\"")))
            .ListOf()
            .Select(parts => string.Concat(parts.Take(60)));

    /// <summary>A realistic document with a few random single-character edits.</summary>
    public static Gen<string> MutatedDocument(string document) =>
        from edits in Gen.Choose(1, 4)
        from positions in Gen.Choose(0, document.Length - 1).ArrayOf(edits)
        from kinds in Gen.Choose(0, 2).ArrayOf(edits)
        from characters in Gen.Elements("{}[]\",:=$?#/\\\n .a1+".ToCharArray()).ArrayOf(edits)
        select Mutate(document, positions, kinds, characters);

    private static string Mutate(string document, int[] positions, int[] kinds, char[] characters)
    {
        var sb = new StringBuilder(document);
        for (var i = 0; i < positions.Length; i++)
        {
            var at = Math.Min(positions[i], sb.Length - 1);
            switch (kinds[i])
            {
                case 0:
                    sb.Remove(at, 1);
                    break;
                case 1:
                    sb.Insert(at, characters[i]);
                    break;
                default:
                    sb[at] = characters[i];
                    break;
            }

            if (sb.Length == 0)
            {
                break;
            }
        }

        return sb.ToString();
    }

    private static string WithoutLoneSurrogates(string s)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '?';
            }
        }

        return new string(chars);
    }

    private static Gen<HoconValue> ValueOfSize(int size, Gen<string> strings)
    {
        var scalar = Gen.OneOf(
            strings.Select(s => (HoconValue)new HoconString(s)),
            NumberText.Select(t => (HoconValue)HoconNumber.TryParse(t)!),
            Gen.Elements(true, false).Select(b => (HoconValue)new HoconBoolean(b)),
            Gen.Constant((HoconValue)new HoconNull()));
        if (size <= 1)
        {
            return scalar;
        }

        return Gen.Frequency(
            (4, scalar),
            (1, ObjectOfSize(size / 2, strings).Select(o => (HoconValue)o)),
            (1, ValueOfSize(size / 2, strings).ListOf().Select(items => (HoconValue)new HoconArray(items.Take(6)))));
    }

    private static Gen<HoconObject> ObjectOfSize(int size, Gen<string> strings) =>
        Gen.Zip(strings, ValueOfSize(Math.Max(0, size - 1), strings))
            .ListOf()
            .Select(fields =>
            {
                var unique = new Dictionary<string, HoconValue>(StringComparer.Ordinal);
                foreach (var (key, value) in fields.Take(6))
                {
                    unique[key] = value;
                }

                return new HoconObject(unique);
            });
}
