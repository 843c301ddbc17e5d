using ActorHost.Hocon.Loading;
using ActorHost.Hocon.Raw;

namespace ActorHost.Hocon.Resolution;

/// <summary>Resolving value concatenations: strings, lists, or merged objects.</summary>
internal sealed partial class Resolver
{
    // Part lists reused across concatenations, one per nesting level (a piece may itself be a concatenation).
    private readonly Stack<List<(HoconValue? Value, string? Whitespace)>> _partLists = new();

    private HoconValue? ResolveConcatenation(RawConcatenation concatenation, ResolveView view)
    {
        var parts = _partLists.TryPop(out var reused) ? reused : new List<(HoconValue? Value, string? Whitespace)>(concatenation.Pieces.Length);
        try
        {
            return ResolveConcatenation(concatenation, view, parts);
        }
        finally
        {
            parts.Clear();
            _partLists.Push(parts);
        }
    }

    private HoconValue? ResolveConcatenation(RawConcatenation concatenation, ResolveView view, List<(HoconValue? Value, string? Whitespace)> parts)
    {
        var anyDefined = false;
        var anyStructured = false;
        foreach (var piece in concatenation.Pieces)
        {
            if (piece is RawWhitespace whitespace)
            {
                parts.Add((null, whitespace.Text));
                continue;
            }

            var value = Resolve(piece, view);
            if (value is null)
            {
                continue; // an undefined ${?x} is an empty string, list or object here
            }

            anyDefined = true;
            anyStructured |= value is HoconObject or HoconArray;
            parts.Add((value, null));
        }

        if (!anyDefined)
        {
            return null; // ${?a}${?b} with neither defined: the field is not created
        }

        if (anyStructured)
        {
            return JoinStructured(concatenation, parts);
        }

        if (parts.Count == 1)
        {
            return parts[0].Value; // a single value keeps its type
        }

        // Measure, then fill the string once (no StringBuilder and its chunks).
        var length = 0;
        foreach (var (value, whitespace) in parts)
        {
            length += (whitespace ?? ConcatenationText.Of(value!)).Length;
        }

        var text = string.Create(length, parts, static (chars, parts) =>
        {
            foreach (var (value, whitespace) in parts)
            {
                var piece = whitespace ?? ConcatenationText.Of(value!);
                piece.CopyTo(chars);
                chars = chars[piece.Length..];
            }
        });
        return new HoconString(text, concatenation.Origin);
    }

    private static HoconValue JoinStructured(RawConcatenation concatenation, List<(HoconValue? Value, string? Whitespace)> parts)
    {
        var values = new List<HoconValue>(parts.Count);
        foreach (var (value, _) in parts)
        {
            if (value is not null)
            {
                values.Add(value);
            }
        }

        if (values.TrueForAll(v => v is HoconObject))
        {
            var merged = (HoconObject)values[0];
            for (var i = 1; i < values.Count; i++)
            {
                merged = ValueMerge.MergeObjects((HoconObject)values[i], merged);
            }

            return merged.Count == 0 ? new HoconObject([], concatenation.Origin) : merged;
        }

        if (values.Exists(v => v is HoconArray))
        {
            var items = new List<HoconValue>();
            foreach (var value in values)
            {
                var list = value as HoconArray ?? (value is HoconObject obj ? NumericKeys.ToList(obj) : null);
                if (list is null)
                {
                    throw Mixed(concatenation, values);
                }

                items.AddRange(list);
            }

            return new HoconArray([.. items], concatenation.Origin);
        }

        throw Mixed(concatenation, values);
    }

    private static HoconException Mixed(RawConcatenation concatenation, List<HoconValue> values)
    {
        var kinds = string.Join(", ", values.Select(v => $"{v.Describe()} ({v.Origin.Line}:{v.Origin.Column})"));
        return new HoconException(
            concatenation.Origin,
            $"cannot concatenate {kinds}: objects concatenate only with objects, lists only with lists, and strings only with simple values");
    }
}
