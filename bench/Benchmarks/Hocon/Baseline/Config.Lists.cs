using System.Globalization;

namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>Typed getters for lists: each element is converted like the single-value getter would.</summary>
internal sealed partial class Config
{
    /// <summary>A list of strings.</summary>
    /// <param name="path">A path expression.</param>
    public IReadOnlyList<string> GetStringList(string path) => ReadList(path, ValueReader.ReadString);

    /// <summary>A list of booleans.</summary>
    /// <param name="path">A path expression.</param>
    public IReadOnlyList<bool> GetBooleanList(string path) => ReadList(path, ValueReader.ReadBoolean);

    /// <summary>A list of 32-bit integers.</summary>
    /// <param name="path">A path expression.</param>
    public IReadOnlyList<int> GetIntList(string path) => ReadList(path, ValueReader.ReadInt);

    /// <summary>A list of 64-bit integers.</summary>
    /// <param name="path">A path expression.</param>
    public IReadOnlyList<long> GetLongList(string path) => ReadList(path, (v, p) => ValueReader.ReadLong(v, p));

    /// <summary>A list of doubles.</summary>
    /// <param name="path">A path expression.</param>
    public IReadOnlyList<double> GetDoubleList(string path) => ReadList(path, ValueReader.ReadDouble);

    /// <summary>A list of durations.</summary>
    /// <param name="path">A path expression.</param>
    public IReadOnlyList<TimeSpan> GetDurationList(string path) => ReadList(path, ValueReader.ReadDuration);

    /// <summary>A list of sizes in bytes.</summary>
    /// <param name="path">A path expression.</param>
    public IReadOnlyList<long> GetByteSizeList(string path) => ReadList(path, ValueReader.ReadByteSize);

    /// <summary>A list of objects.</summary>
    /// <param name="path">A path expression.</param>
    public IReadOnlyList<HoconObject> GetObjectList(string path) => ReadList(path, ValueReader.ReadObject);

    /// <summary>A list of objects, each as a configuration.</summary>
    /// <param name="path">A path expression.</param>
    public IReadOnlyList<Config> GetConfigList(string path) => ReadList(path, (v, p) => new Config(ValueReader.ReadObject(v, p)));

    private T[] ReadList<T>(string path, Func<HoconValue, string, T> read)
    {
        var list = GetList(path);
        var result = new T[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            var element = list[i];
            var elementPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            if (element is HoconNull)
            {
                throw new HoconMissingException(element.Origin, elementPath, $"'{elementPath}' is null");
            }

            result[i] = read(element, elementPath);
        }

        return result;
    }
}
