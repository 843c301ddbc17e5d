using ActorHost.Hocon.Raw;
using ActorHost.Hocon.Syntax;

namespace ActorHost.Hocon.Loading;

/// <summary>
/// Turns syntax trees into one unresolved tree: expands dotted keys, merges duplicate keys, rewrites
/// <c>+=</c>, folds concatenations that need no substitution, and expands includes (relative to the
/// including file, with substitution fix-up, cycle detection and the extension-less rule).
/// </summary>
internal sealed class HoconLoader
{
    private readonly HoconParseOptions _options;
    private readonly List<string> _fileChain = [];

    public HoconLoader(HoconParseOptions options)
    {
        _options = options;
    }

    /// <summary>Loads a document given as text.</summary>
    public RawObject LoadText(string text, string source, HoconSyntax syntax, string? filePath)
    {
        var scope = new LoadScope(filePath is null ? null : Path.GetDirectoryName(Path.GetFullPath(filePath)), KeyPath.Empty);
        return LoadDocument(text, source, syntax, scope, insideArray: false);
    }

    /// <summary>Loads one file; a missing file is an error.</summary>
    public RawObject LoadFile(string path, HoconSyntax syntax)
    {
        var origin = new HoconOrigin(path, 1, 1);
        if (!File.Exists(path))
        {
            throw new HoconException(origin, "file not found");
        }

        return LoadFileAt(path, syntax, KeyPath.Empty, origin, insideArray: false, out _);
    }

    /// <summary>Loads every existing file a basename stands for and merges them (.conf wins).</summary>
    public RawObject LoadAnySyntax(string basename)
    {
        var origin = new HoconOrigin(basename, 1, 1);
        var candidates = IncludeCandidate.For(basename);
        RawObject? result = null;
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate.Path))
            {
                var loaded = LoadFileAt(candidate.Path, candidate.Syntax, KeyPath.Empty, origin, insideArray: false, out _);
                result = result is null ? loaded : RawMerge.MergeObjects(result, loaded, inPlace: true);
            }
        }

        return result ?? throw new HoconException(origin, $"no configuration file found (looked for {string.Join(", ", candidates.Select(c => c.Path))})");
    }

    private RawObject LoadDocument(string text, string source, HoconSyntax syntax, LoadScope scope, bool insideArray)
    {
        if (syntax == HoconSyntax.Properties)
        {
            return PropertiesReader.Read(text, source);
        }

        var root = Parser.ParseDocument(text, source, syntax == HoconSyntax.Json);
        if (root is not ObjectSyntax rootObject)
        {
            throw new HoconException(root.Origin, "a configuration document must have an object at its root, not an array");
        }

        return BuildObject(rootObject, scope, KeyPath.Empty, insideArray);
    }

    private RawObject LoadFileAt(string path, HoconSyntax syntax, KeyPath prefix, HoconOrigin includedFrom, bool insideArray, out int substitutions)
    {
        var fullPath = Path.GetFullPath(path);
        if (_fileChain.Contains(fullPath, StringComparer.Ordinal))
        {
            var cycle = string.Join(" -> ", _fileChain.SkipWhile(f => f != fullPath).Select(Path.GetFileName).Append(Path.GetFileName(fullPath)));
            throw new HoconException(includedFrom, $"include cycle: {cycle}");
        }

        if (_fileChain.Count > HoconLimits.MaxIncludeDepth)
        {
            throw new HoconException(includedFrom, $"includes nest more than {HoconLimits.MaxIncludeDepth} levels deep");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new HoconException(includedFrom, $"cannot read '{path}': {e.Message}", e);
        }

        _fileChain.Add(fullPath);
        try
        {
            var scope = new LoadScope(Path.GetDirectoryName(fullPath), prefix);
            var result = LoadDocument(text, path, syntax, scope, insideArray);
            substitutions = scope.Substitutions;
            return result;
        }
        finally
        {
            _fileChain.RemoveAt(_fileChain.Count - 1);
        }
    }

    private RawObject BuildObject(ObjectSyntax syntax, LoadScope scope, KeyPath pathInFile, bool insideArray)
    {
        HoconLimits.EnsureStack(syntax.Origin);
        var result = new RawObject(syntax.Origin, new FieldMap<RawNode>(syntax.Members.Length));
        foreach (var member in syntax.Members)
        {
            if (member is FieldSyntax field)
            {
                AddField(result, field, scope, pathInFile, insideArray);
            }
            else
            {
                var include = (IncludeSyntax)member;
                var included = Include(include, scope, pathInFile, insideArray);
                if (included is not null)
                {
                    foreach (var (key, value) in included.Fields)
                    {
                        Set(result, key, value);
                    }
                }
            }
        }

        return result;
    }

    private void AddField(RawObject target, FieldSyntax field, LoadScope scope, KeyPath pathInFile, bool insideArray)
    {
        // The value's own path matters only to += and to objects (for their includes and nested +=).
        var valuePath = field.Separator == FieldSeparator.Append || field.Value is ObjectSyntax or ConcatenationSyntax
            ? pathInFile.Append(field.Key)
            : pathInFile;
        var value = BuildValue(field.Value, scope, valuePath, insideArray);
        if (field.Separator == FieldSeparator.Append)
        {
            if (insideArray)
            {
                throw new HoconException(field.Origin, "'+=' cannot be used inside an array element: there is no earlier value to append to");
            }

            // a += b means a = ${?a} [b]
            scope.Substitutions++;
            var previous = new RawSubstitution(field.Origin, valuePath, optional: true, scope.Prefix);
            value = new RawConcatenation(field.Origin, [previous, new RawArray(value.Origin, [value])]);
        }

        for (var i = field.Key.Length - 1; i >= 1; i--)
        {
            var wrapper = new RawObject(field.Origin, new FieldMap<RawNode>(1));
            wrapper.Fields[field.Key[i]] = value;
            value = wrapper;
        }

        Set(target, field.Key.First, value);
    }

    private static void Set(RawObject target, string key, RawNode value)
    {
        if (!target.Fields.TryAdd(key, value))
        {
            target.Fields[key] = RawMerge.Merge(target.Fields[key], value, inPlace: true);
        }
    }

    private RawNode BuildValue(SyntaxNode syntax, LoadScope scope, KeyPath pathInFile, bool insideArray)
    {
        switch (syntax)
        {
            case LiteralSyntax literal:
                return new RawResolved(literal.Value);
            case ObjectSyntax obj:
                return BuildObject(obj, scope, pathInFile, insideArray);
            case ArraySyntax array:
                HoconLimits.EnsureStack(array.Origin);
                var elements = new RawNode[array.Elements.Length];
                for (var i = 0; i < elements.Length; i++)
                {
                    elements[i] = BuildValue(array.Elements[i], scope, pathInFile, insideArray: true);
                }

                return new RawArray(array.Origin, elements);
            case SubstitutionSyntax substitution:
                scope.Substitutions++;
                return new RawSubstitution(substitution.Origin, substitution.Path, substitution.Optional, scope.Prefix);
            case ConcatenationSyntax concatenation:
                return BuildConcatenation(concatenation, scope, pathInFile, insideArray);
            case WhitespaceSyntax whitespace:
                return new RawWhitespace(whitespace.Origin, whitespace.Text);
            default:
                throw new InvalidOperationException("unknown syntax node " + syntax.GetType().Name);
        }
    }

    private RawNode BuildConcatenation(ConcatenationSyntax syntax, LoadScope scope, KeyPath pathInFile, bool insideArray)
    {
        var pieces = new RawNode[syntax.Pieces.Count];
        bool open = false, anyObject = false, anyArray = false, anyScalar = false;
        for (var i = 0; i < pieces.Length; i++)
        {
            var piece = BuildValue(syntax.Pieces[i], scope, pathInFile, insideArray);
            pieces[i] = piece;
            switch (piece)
            {
                case RawWhitespace:
                    break;
                case RawObject:
                    anyObject = true;
                    break;
                case RawArray:
                    anyArray = true;
                    break;
                case RawResolved:
                    anyScalar = true;
                    break;
                default:
                    open = true;
                    break;
            }
        }

        // Without substitutions the result is known now; mixed kinds are left for the resolver to report.
        if (!open && (anyObject ? 1 : 0) + (anyArray ? 1 : 0) + (anyScalar ? 1 : 0) == 1)
        {
            if (anyScalar)
            {
                return new RawResolved(new HoconString(ConcatenationText.Join(pieces), syntax.Origin));
            }

            if (anyObject)
            {
                RawObject? merged = null;
                foreach (var piece in pieces)
                {
                    if (piece is RawObject o)
                    {
                        merged = merged is null ? o : RawMerge.MergeObjects(merged, o, inPlace: true);
                    }
                }

                return merged!;
            }

            var elements = new List<RawNode>();
            foreach (var piece in pieces)
            {
                if (piece is RawArray a)
                {
                    elements.AddRange(a.Elements);
                }
            }

            return new RawArray(syntax.Origin, [.. elements]);
        }

        return new RawConcatenation(syntax.Origin, pieces);
    }

    private RawObject? Include(IncludeSyntax include, LoadScope scope, KeyPath pathInFile, bool insideArray)
    {
        switch (include.Kind)
        {
            case IncludeKind.Url:
                throw new HoconException(include.Origin, "include url(...) is not supported: only files can be included (use a file name or file(\"...\"))");
            case IncludeKind.Classpath:
                throw new HoconException(include.Origin, "include classpath(...) is not supported: .NET has no classpath (use a file name or file(\"...\"))");
        }

        var directory = scope.Directory ?? _options.BaseDirectory ?? Directory.GetCurrentDirectory();
        var tried = new List<string>();
        var found = Existing(Path.Combine(directory, include.Name), tried);
        if (found.Count == 0 && include.Kind == IncludeKind.Heuristic)
        {
            foreach (var searchPath in _options.IncludeSearchPaths)
            {
                found = Existing(Path.Combine(searchPath, include.Name.TrimStart('/')), tried);
                if (found.Count > 0)
                {
                    break;
                }
            }
        }

        if (found.Count == 0)
        {
            if (include.Required)
            {
                throw new HoconException(include.Origin, $"required include \"{include.Name}\" not found (looked for {string.Join(", ", tried)})");
            }

            return null; // a missing include is silently ignored
        }

        var prefix = scope.Prefix.Append(pathInFile);
        RawObject? result = null;
        var substitutions = 0;
        foreach (var candidate in found)
        {
            var loaded = LoadFileAt(candidate.Path, candidate.Syntax, prefix, include.Origin, insideArray, out var count);
            substitutions += count;
            result = result is null ? loaded : RawMerge.MergeObjects(result, loaded, inPlace: true);
        }

        if (insideArray && substitutions > 0)
        {
            // Substitutions are fixed up by prefixing the include point's path, and an array element has none.
            throw new HoconException(include.Origin, $"\"{include.Name}\" is included inside an array element and contains substitutions, which cannot be fixed up there; move the include out of the array or remove the ${{}} from the included file");
        }

        scope.Substitutions += substitutions;
        return result;
    }

    private static List<IncludeCandidate> Existing(string path, List<string> tried)
    {
        var found = new List<IncludeCandidate>(1);
        foreach (var candidate in IncludeCandidate.For(path))
        {
            tried.Add(candidate.Path);
            if (File.Exists(candidate.Path))
            {
                found.Add(candidate);
            }
        }

        return found;
    }
}
