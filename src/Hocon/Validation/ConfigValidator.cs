using ActorHost.Hocon.Syntax;

namespace ActorHost.Hocon;

/// <summary>
/// Checks a resolved configuration against a reference (the reference.conf that lists every key with its
/// default) and reports every problem at once: missing keys, values of the wrong type, list elements of the
/// wrong type and, where asked for, keys the reference does not know. The type rules follow the reference
/// implementation's checkValid: null on either side accepts anything, a string value is accepted for any
/// non-object setting (it may hold "10s" or "yes"), a string setting accepts anything, and lists are checked
/// by their first reference element (an empty list on either side accepts any list).
/// </summary>
public static class ConfigValidator
{
    /// <summary>Returns every problem (empty when the configuration is valid).</summary>
    /// <param name="config">The configuration to check.</param>
    /// <param name="reference">The reference it must conform to.</param>
    /// <param name="options">Restrictions, unknown-key reporting and open maps.</param>
    public static IReadOnlyList<ValidationProblem> Validate(Config config, Config reference, ConfigValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(reference);
        var run = new Run(options ?? ConfigValidationOptions.Default, reference);
        if (run.Restrict.Count == 0)
        {
            run.CheckObject(KeyPath.Empty, reference.Root, config.Root, reportMissing: true);
        }
        else
        {
            foreach (var path in run.Restrict)
            {
                run.CheckPath(path, reference, config);
            }
        }

        return run.Problems;
    }

    /// <summary>Throws <see cref="HoconValidationException"/> listing every problem, if there is any.</summary>
    /// <param name="config">The configuration to check.</param>
    /// <param name="reference">The reference it must conform to.</param>
    /// <param name="options">Restrictions, unknown-key reporting and open maps.</param>
    public static void ThrowIfInvalid(Config config, Config reference, ConfigValidationOptions? options = null)
    {
        var problems = Validate(config, reference, options);
        if (problems.Count > 0)
        {
            throw new HoconValidationException(problems);
        }
    }

    private sealed class Run
    {
        private readonly List<KeyPath> _unknownUnder;

        /// <summary>Open map path → the template object in the reference (null when the reference lacks it).</summary>
        private readonly Dictionary<KeyPath, HoconObject?> _openMaps = [];

        private readonly bool _strictStrings;

        public Run(ConfigValidationOptions options, Config reference)
        {
            _strictStrings = options.StrictStrings;
            _unknownUnder = [.. options.RejectUnknownKeysUnder.Select(ParseOrRoot)];
            Restrict = [.. options.RestrictToPaths.Select(ParseOrRoot)];
            foreach (var (mapPath, templatePath) in options.OpenMaps)
            {
                _openMaps[ParseOrRoot(mapPath)] = reference.Find(templatePath) as HoconObject;
            }
        }

        public List<KeyPath> Restrict { get; }

        public List<ValidationProblem> Problems { get; } = [];

        public void CheckPath(KeyPath path, Config reference, Config config)
        {
            var rendered = path.Render();
            var referenceValue = reference.Find(rendered);
            if (referenceValue is null)
            {
                return;
            }

            var value = config.Find(rendered);
            if (value is null)
            {
                Missing(path, referenceValue, config.Root.Origin);
                return;
            }

            CheckValue(path, referenceValue, value);
        }

        public void CheckObject(KeyPath path, HoconObject reference, HoconObject value, bool reportMissing)
        {
            foreach (var (key, referenceValue) in reference)
            {
                var childPath = path.Append(key);
                if (value.TryGetValue(key, out var child))
                {
                    CheckValue(childPath, referenceValue, child);
                }
                else if (reportMissing)
                {
                    Missing(childPath, referenceValue, value.Origin);
                }
            }

            if (RejectsUnknown(path))
            {
                foreach (var (key, child) in value)
                {
                    if (!reference.ContainsKey(key))
                    {
                        var childPath = path.Append(key);
                        Add(childPath, child.Origin, ValidationProblemKind.Unknown, string.Empty, child.TypeName,
                            $"unknown key '{childPath.Render()}': the reference configuration has no such setting (misspelt?)");
                    }
                }
            }
        }

        private void CheckValue(KeyPath path, HoconValue reference, HoconValue value)
        {
            HoconLimits.EnsureStack(value.Origin);
            if (_openMaps.TryGetValue(path, out var template) && value is HoconObject map)
            {
                CheckOpenMap(path, template, map);
                return;
            }

            if (!Compatible(reference, value))
            {
                WrongType(path, reference, value);
                return;
            }

            switch (reference)
            {
                case HoconObject referenceObject when value is HoconObject obj:
                    CheckObject(path, referenceObject, obj, reportMissing: true);
                    break;
                case HoconArray referenceList when value is HoconArray list:
                    CheckList(path, referenceList, list);
                    break;
                case HoconArray referenceList when value is HoconObject obj:
                    if (NumericKeys.ToList(obj) is { } converted)
                    {
                        CheckList(path, referenceList, converted);
                    }

                    break;
            }
        }

        private void CheckOpenMap(KeyPath path, HoconObject? template, HoconObject map)
        {
            // The map's own reference value may hold sample entries; the template is what every entry obeys.
            foreach (var (name, entry) in map)
            {
                var entryPath = path.Append(name);
                if (entry is HoconObject entryObject)
                {
                    if (template is not null)
                    {
                        CheckObject(entryPath, template, entryObject, reportMissing: false);
                    }
                }
                else if (entry is not HoconNull)
                {
                    Add(entryPath, entry.Origin, ValidationProblemKind.WrongType, "object", entry.TypeName,
                        $"'{entryPath.Render()}' should be an object but is {entry.Describe()}");
                }
            }
        }

        private void CheckList(KeyPath path, HoconArray reference, HoconArray list)
        {
            if (reference.Count == 0 || list.Count == 0)
            {
                return; // nothing to compare the elements with
            }

            var referenceElement = reference[0];
            foreach (var element in list)
            {
                if (!Compatible(referenceElement, element))
                {
                    Add(path, element.Origin, ValidationProblemKind.WrongElementType, referenceElement.TypeName, element.TypeName,
                        $"'{path.Render()}' is a list of {referenceElement.TypeName} values but contains {element.Describe()}");
                    break; // one problem per list is enough
                }
            }
        }

        private bool Compatible(HoconValue reference, HoconValue value)
        {
            if (reference is HoconNull || value is HoconNull)
            {
                return true;
            }

            if (reference is HoconObject)
            {
                return value is HoconObject;
            }

            if (_strictStrings && reference is HoconString && value is HoconObject or HoconArray)
            {
                return false;
            }

            if (reference is HoconString || value is HoconString)
            {
                return true;
            }

            if (reference is HoconArray && value is HoconObject obj)
            {
                return NumericKeys.ToList(obj) is not null;
            }

            return reference.Type == value.Type;
        }

        private bool RejectsUnknown(KeyPath path)
        {
            foreach (var under in _unknownUnder)
            {
                if (path.StartsWith(under))
                {
                    return true;
                }
            }

            return false;
        }

        private void Missing(KeyPath path, HoconValue reference, HoconOrigin where) =>
            Add(path, where, ValidationProblemKind.Missing, reference.TypeName, string.Empty,
                $"missing setting '{path.Render()}' ({reference.TypeName}), which the reference configuration requires");

        private void WrongType(KeyPath path, HoconValue reference, HoconValue value) =>
            Add(path, value.Origin, ValidationProblemKind.WrongType, reference.TypeName, value.TypeName,
                $"'{path.Render()}' should be {Article(reference.TypeName)} but is {value.Describe()}");

        private void Add(KeyPath path, HoconOrigin origin, ValidationProblemKind kind, string expected, string actual, string message) =>
            Problems.Add(new ValidationProblem(path.Render(), origin, kind, expected, actual, message));

        private static string Article(string typeName) => typeName is "object" ? "an object" : "a " + typeName;

        private static KeyPath ParseOrRoot(string path) => path.Length == 0 ? KeyPath.Empty : Parser.ParsePath(path);
    }
}
