using ActorHost.Hocon.Raw;

namespace ActorHost.Hocon.Resolution;

/// <summary>
/// Resolves an unresolved tree into immutable values: substitutions (looked up lazily, each occurrence
/// resolved once and remembered), concatenations, and merge stacks (including self-references, which look
/// back to the previous value of their field). Cycles that cannot be broken are reported with the chain of
/// substitutions involved.
/// </summary>
internal sealed partial class Resolver
{
    private readonly RawObject _root;
    private readonly Func<string, string?>? _environment;
    private readonly Dictionary<RawNode, HoconValue?> _memo = [];
    private readonly HashSet<RawNode> _inProgress = [];
    private readonly List<RawNode> _frames = [];

    private Resolver(RawObject root, Func<string, string?>? environment)
    {
        _root = root;
        _environment = environment;
    }

    /// <summary>Resolves the whole tree.</summary>
    /// <param name="root">The unresolved root.</param>
    /// <param name="environment">Environment variables for substitutions not found in the tree, or null for none.</param>
    public static HoconObject Resolve(RawObject root, Func<string, string?>? environment)
    {
        var resolver = new Resolver(root, environment);
        try
        {
            return (HoconObject)resolver.Resolve(root, ResolveView.Empty)!;
        }
        catch (CycleSignal cycle)
        {
            throw new HoconException(cycle.Node.Origin, cycle.Description);
        }
    }

    private HoconValue? Resolve(RawNode node, ResolveView view)
    {
        switch (node)
        {
            case RawResolved resolved:
                return resolved.Value;
            case RawWhitespace whitespace:
                return new HoconString(whitespace.Text, whitespace.Origin);
        }

        // Substitutions, concatenations and merge stacks are remembered (each occurrence resolves once, as the
        // spec requires). Plain objects and arrays are not: the root walk meets each of them once, and a
        // second meeting through a substitution finds the inner substitutions remembered anyway.
        var memoizable = node is RawSubstitution or RawConcatenation or RawMergeStack;
        if (memoizable && _memo.TryGetValue(node, out var cached))
        {
            return cached;
        }

        if (!_inProgress.Add(node))
        {
            throw new CycleSignal(node, DescribeCycle(node));
        }

        _frames.Add(node);
        HoconValue? value;
        try
        {
            if (_frames.Count > HoconLimits.MaxResolveDepth)
            {
                throw new HoconException(node.Origin, $"substitutions lead through more than {HoconLimits.MaxResolveDepth} values to get here");
            }

            HoconLimits.EnsureStack(node.Origin);
            value = node switch
            {
                RawObject obj => ResolveObject(obj, view),
                RawArray array => ResolveArray(array, view),
                RawSubstitution substitution => ResolveSubstitution(substitution, view),
                RawConcatenation concatenation => ResolveConcatenation(concatenation, view),
                RawMergeStack stack => ResolveStack(stack, view),
                _ => throw new InvalidOperationException("unknown node " + node.GetType().Name),
            };
        }
        finally
        {
            _inProgress.Remove(node);
            _frames.RemoveAt(_frames.Count - 1);
        }

        if (value is { Depth: > HoconLimits.MaxDepth })
        {
            throw new HoconException(node.Origin, $"objects and arrays nest more than {HoconLimits.MaxDepth} levels deep");
        }

        if (value is { ExpandedSize: > HoconLimits.MaxExpandedValues })
        {
            throw new HoconException(node.Origin, $"substitutions expand this value into more than {HoconLimits.MaxExpandedValues:N0} values");
        }

        if (memoizable)
        {
            _memo[node] = value;
        }

        return value;
    }

    private HoconObject ResolveObject(RawObject obj, ResolveView view)
    {
        var source = obj.Fields;
        var values = new HoconValue[source.Count];
        var defined = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var child = source.ValueAt(i);
            var node = view.IsEmpty ? child : ApplyView(child, view);
            if (node is not null && Resolve(node, view) is { } value)
            {
                values[i] = value;
                defined++;
            }
        }

        if (defined == values.Length)
        {
            // The usual case: every field has a value, so the object keeps the raw object's keys as they are.
            return new HoconObject(FieldMap<HoconValue>.WithKeysOf(source, values), obj.Origin);
        }

        // Some ${?x} found nothing: those fields are left out.
        var fields = new FieldMap<HoconValue>(defined);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                fields.AddNew(source.KeyAt(i), value);
            }
        }

        return new HoconObject(fields, obj.Origin);
    }

    private HoconArray ResolveArray(RawArray array, ResolveView view)
    {
        var items = new HoconValue[array.Elements.Length];
        var count = 0;
        foreach (var element in array.Elements)
        {
            // An optional substitution that finds nothing leaves no element behind.
            if (Resolve(element, view) is { } value)
            {
                items[count++] = value;
            }
        }

        return new HoconArray(count == items.Length ? items : items[..count], array.Origin);
    }

    private HoconValue? ResolveStack(RawMergeStack stack, ResolveView view)
    {
        HoconValue? result = null;
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            var layer = stack.Layers[i];

            // A substitution or concatenation layer is where a self-reference can be: while it resolves,
            // its own field reads as the layers below it.
            var value = layer.IsUnmergeable ? Resolve(layer, view.With(stack.Owner, i)) : Resolve(layer, view);
            if (value is null)
            {
                continue; // ${?x} that found nothing keeps the previous value
            }

            result = result is null ? value : ValueMerge.Merge(result, value);
            if (value is not HoconObject)
            {
                break; // a non-object hides everything below it; those layers are never evaluated
            }
        }

        return result;
    }

    private HoconValue? ResolveSubstitution(RawSubstitution substitution, ResolveView view)
    {
        HoconValue? value;
        try
        {
            var target = LocateSubstitution(substitution, view, out var fromEnvironment);
            value = target is null ? fromEnvironment : Resolve(target, view);
        }
        catch (CycleSignal cycle)
        {
            if (substitution.Optional)
            {
                return null; // a cycle reads as "not found" for ${?x}
            }

            throw new HoconException(substitution.Origin, cycle.Description);
        }

        if (value is null && !substitution.Optional)
        {
            var where = substitution.Prefix.IsEmpty
                ? $"'{substitution.Path.Render()}'"
                : $"'{substitution.Prefix.Append(substitution.Path).Render()}' or '{substitution.Path.Render()}'";
            var environment = _environment is null || substitution.Path.Length != 1 ? string.Empty : " and no environment variable of that name";
            throw new HoconException(substitution.Origin, $"could not resolve substitution {substitution}: there is no value at {where}{environment} (use ${{?...}} if it is optional)");
        }

        return value;
    }

    private string DescribeCycle(RawNode reentered)
    {
        var start = _frames.IndexOf(reentered);
        var substitutions = new List<RawSubstitution>();
        for (var i = Math.Max(start, 0); i < _frames.Count; i++)
        {
            if (_frames[i] is RawSubstitution s)
            {
                substitutions.Add(s);
            }
        }

        if (reentered is RawSubstitution again && substitutions.Count == 0)
        {
            substitutions.Add(again);
        }

        if (substitutions.Count == 0)
        {
            return "a value refers to itself";
        }

        if (substitutions.Count == 1 && reentered is RawObject or RawArray)
        {
            return $"substitution {substitutions[0]} refers to the object or list that contains it, which can never be resolved";
        }

        if (substitutions.Count == 1)
        {
            var only = substitutions[0];
            return $"substitution {only} refers to itself (through the value being defined) and there is no earlier value to look back to";
        }

        var chain = string.Join(" -> ", substitutions.Select(s => $"{s} ({s.Origin.Line}:{s.Origin.Column})"));
        return $"substitution cycle: {chain} -> back to {substitutions[0]}";
    }
}
