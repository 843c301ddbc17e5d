using ActorHost.Hocon;

namespace ActorHost.Workers.Configuration;

/// <summary>
/// Reads typed values from one configuration object (a route, a strategy, a rule) and turns every failure
/// into a <see cref="ConfigProblem"/> at its full path with its origin, instead of throwing: binding goes on
/// and reports everything at once. Absent keys return the caller's default.
/// </summary>
internal sealed class ConfigSection
{
    private readonly Config _config;
    private readonly BindingContext _binding;
    private readonly Config? _written;
    private readonly HoconOrigin? _origin;

    /// <param name="config">The object to read, with its template as fallback if it has one.</param>
    /// <param name="path">Its full path.</param>
    /// <param name="origin">Where the object itself is defined.</param>
    /// <param name="binding">Collects problems and origins.</param>
    /// <param name="written">
    /// For an open-map entry, the entry without its template: a problem about a key the entry does not write is
    /// reported at the entry, not at the template in reference.conf the value came from.
    /// </param>
    public ConfigSection(Config config, string path, HoconOrigin? origin, BindingContext binding, Config? written = null)
    {
        _config = config;
        Path = path;
        _binding = binding;
        _written = written;
        _origin = origin;
        binding.RecordOrigin(path, origin);
    }

    /// <summary>The full path of this object, e.g. <c>actorhost.routes.echo</c>.</summary>
    public string Path { get; }

    public IEnumerable<string> Keys => _config.Root.Keys;

    public bool Has(string key) => _config.HasPath(key);

    public HoconOrigin? OriginOf(string key) => _config.Find(key)?.Origin;

    /// <summary>Where a problem about <paramref name="key"/> points: the key as written, else the entry that lacks it.</summary>
    private HoconOrigin? ProblemOrigin(string key) =>
        _written is null ? OriginOf(key) : _written.Find(key)?.Origin ?? _origin;

    public string String(string key, string fallback) => Read(key, fallback, static (c, k) => c.GetString(k));

    public int Int(string key, int fallback) => Read(key, fallback, static (c, k) => c.GetInt(k));

    public long Long(string key, long fallback) => Read(key, fallback, static (c, k) => c.GetLong(k));

    public double Double(string key, double fallback) => Read(key, fallback, static (c, k) => c.GetDouble(k));

    public bool Boolean(string key, bool fallback) => Read(key, fallback, static (c, k) => c.GetBoolean(k));

    public TimeSpan Duration(string key, TimeSpan fallback) => Read(key, fallback, static (c, k) => c.GetDuration(k));

    public IReadOnlyList<string> StringList(string key, IReadOnlyList<string> fallback) => Read(key, fallback, static (c, k) => c.GetStringList(k));

    /// <summary>A word naming an enum member in kebab case (<c>round-robin</c> → <c>RoundRobin</c>).</summary>
    public TEnum Word<TEnum>(string key, TEnum fallback)
        where TEnum : struct, Enum
    {
        string word = String(key, ConfigWords.ToWord(fallback));
        if (ConfigWords.TryParse(word, out TEnum value))
        {
            return value;
        }

        Problem(key, $"\"{word}\" is not one of: {string.Join(", ", Enum.GetValues<TEnum>().Select(ConfigWords.ToWord))}");
        return fallback;
    }

    /// <summary>The objects of a list, each as a section (<c>path.key.i</c>); non-objects are problems.</summary>
    public IReadOnlyList<ConfigSection> ObjectList(string key)
    {
        if (!Has(key))
        {
            return [];
        }

        HoconArray list;
        try
        {
            list = _config.GetList(key);
        }
        catch (HoconException e)
        {
            Problem(key, e);
            return [];
        }

        var sections = new List<ConfigSection>(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            string at = $"{Path}.{key}.{i}";
            if (list[i] is HoconObject item)
            {
                sections.Add(new ConfigSection(new Config(item), at, item.Origin, _binding));
            }
            else
            {
                _binding.Add(new ConfigProblem(at, $"expected an object, found {list[i].Type.ToString().ToLowerInvariant()}", list[i].Origin?.ToString()));
            }
        }

        return sections;
    }

    /// <summary>Reports keys of this object that are not in <paramref name="known"/> (a misspelt key is otherwise silently ignored).</summary>
    public void RejectUnknownKeys(IReadOnlySet<string> known)
    {
        foreach (string key in Keys)
        {
            if (!known.Contains(key))
            {
                Problem(key, $"unknown key (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
        }
    }

    public void Problem(string key, string message) =>
        _binding.Add(new ConfigProblem($"{Path}.{key}", message, (ProblemOrigin(key) ?? _binding.OriginOf(Path))?.ToString()));

    private void Problem(string key, HoconException e) =>
        _binding.Add(new ConfigProblem($"{Path}.{key}", e.Detail, (e.Origin ?? ProblemOrigin(key))?.ToString()));

    private T Read<T>(string key, T fallback, Func<Config, string, T> read)
    {
        _binding.RecordOrigin($"{Path}.{key}", ProblemOrigin(key));
        if (!_config.HasPath(key))
        {
            return fallback;
        }

        try
        {
            return read(_config, key);
        }
        catch (HoconException e)
        {
            Problem(key, e);
            return fallback;
        }
    }
}

/// <summary>The problems found so far and the origin of every path read.</summary>
internal sealed class BindingContext
{
    private readonly Dictionary<string, HoconOrigin> _origins = new(StringComparer.Ordinal);

    public List<ConfigProblem> Problems { get; } = [];

    public void Add(ConfigProblem problem) => Problems.Add(problem);

    public void RecordOrigin(string path, HoconOrigin? origin)
    {
        if (origin is not null && origin != HoconOrigin.Code)
        {
            _origins[path] = origin;
        }
    }

    public HoconOrigin? OriginOf(string path) => _origins.GetValueOrDefault(path);
}
