using System.Numerics;

namespace ActorHost.Hocon;

/// <summary>Typed getters for single values.</summary>
public sealed partial class Config
{
    /// <summary>A string; numbers and booleans read as their text.</summary>
    /// <param name="path">A path expression.</param>
    public string GetString(string path) => ValueReader.ReadString(Require(path), path);

    /// <summary>A boolean: <c>true/false</c>, or the strings <c>yes/no</c>, <c>on/off</c>, <c>true/false</c>.</summary>
    /// <param name="path">A path expression.</param>
    public bool GetBoolean(string path) => ValueReader.ReadBoolean(Require(path), path);

    /// <summary>A 32-bit integer (a number, or a string holding one).</summary>
    /// <param name="path">A path expression.</param>
    public int GetInt(string path) => ValueReader.ReadInt(Require(path), path);

    /// <summary>A 64-bit integer (a number, or a string holding one).</summary>
    /// <param name="path">A path expression.</param>
    public long GetLong(string path) => ValueReader.ReadLong(Require(path), path);

    /// <summary>A double (a number, or a string holding one, such as <c>.33</c>).</summary>
    /// <param name="path">A path expression.</param>
    public double GetDouble(string path) => ValueReader.ReadDouble(Require(path), path);

    /// <summary>An exact decimal (a number, or a string holding one).</summary>
    /// <param name="path">A path expression.</param>
    public decimal GetDecimal(string path) => ValueReader.ReadDecimal(Require(path), path);

    /// <summary>
    /// A duration: a number is milliseconds; a string is a number with a unit (<c>ns us ms s m h d</c> and
    /// their long forms). <c>infinite</c> reads as <see cref="Timeout.InfiniteTimeSpan"/>, and only it: a
    /// finite value equal to it (<c>-1ms</c>, <c>-1</c>) is refused. Precision is 100 ns (a tick); use
    /// <see cref="GetDurationNanoseconds"/> for exact nanoseconds.
    /// </summary>
    /// <param name="path">A path expression.</param>
    public TimeSpan GetDuration(string path) => ValueReader.ReadDuration(Require(path), path);

    /// <summary>A duration in exact nanoseconds (<c>infinite</c> is an error here).</summary>
    /// <param name="path">A path expression.</param>
    public long GetDurationNanoseconds(string path) => ValueReader.ReadNanoseconds(Require(path), path);

    /// <summary>A date-based period: a number is days; units <c>d w m/mo y</c> and their long forms.</summary>
    /// <param name="path">A path expression.</param>
    public HoconPeriod GetPeriod(string path) => ValueReader.ReadPeriod(Require(path), path);

    /// <summary>
    /// A size in bytes: a number is bytes; a string is a number with a unit, powers of ten (<c>kB MB GB …</c>)
    /// or of two (<c>K Ki KiB M Mi MiB …</c>). Fractions are truncated (<c>0.5M</c> is 524288).
    /// </summary>
    /// <param name="path">A path expression.</param>
    public long GetByteSize(string path) => ValueReader.ReadByteSize(Require(path), path);

    /// <summary>A size in bytes that may exceed 64 bits (<c>1YB</c>).</summary>
    /// <param name="path">A path expression.</param>
    public BigInteger GetByteSizeBigInteger(string path) => ValueReader.ReadByteSizeBig(Require(path), path);

    /// <summary>An object.</summary>
    /// <param name="path">A path expression.</param>
    public HoconObject GetObject(string path) => ValueReader.ReadObject(Require(path), path);

    /// <summary>A list; an object with numeric keys (<c>{ "0": a, "1": b }</c>) reads as a list too.</summary>
    /// <param name="path">A path expression.</param>
    public HoconArray GetList(string path) => ValueReader.ReadList(Require(path), path);

    private HoconValue Require(string path)
    {
        var value = GetValue(path);
        if (value is HoconNull)
        {
            throw new HoconMissingException(value.Origin, path, $"'{path}' is set to null");
        }

        return value;
    }
}
