using System.Numerics;
using ActorHost.Hocon.Tests.Support;

namespace ActorHost.Hocon.Tests.Conformance;

/// <summary>The typed-getter values the upstream Java tests assert (listed in the corpus README).</summary>
public class TypedGetterConformanceTests
{
    private const long LargeNanos = 4878955355435272204;

    private static readonly Lazy<Config> Test01 = new(() => Load("test01.conf"));

    private static Config Load(string file) =>
        ConfigFactory.ParseFile(ConformanceCorpus.PathOf(file)).Resolve(HoconResolveOptions.NoEnvironment);

    [Theory]
    [InlineData("durations.second", 1000)]
    [InlineData("durations.secondAsNumber", 1000)]
    [InlineData("durations.halfSecond", 500)]
    [InlineData("durations.millis", 1)]
    public void Durations_read_in_milliseconds(string path, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Test01.Value.GetDuration(path));
    }

    [Fact]
    public void Seconds_list_reads_as_durations()
    {
        Assert.Equal(
            [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4)],
            Test01.Value.GetDurationList("durations.secondsList"));
    }

    [Fact]
    public void Micros_read_as_two_thousand_microseconds()
    {
        Assert.Equal(2_000_000L, Test01.Value.GetDurationNanoseconds("durations.micros"));
        Assert.Equal(TimeSpan.FromMicroseconds(2000), Test01.Value.GetDuration("durations.micros"));
    }

    [Theory]
    [InlineData("durations.largeNanos", LargeNanos)]
    [InlineData("durations.plusLargeNanos", LargeNanos)]
    [InlineData("durations.minusLargeNanos", -LargeNanos)]
    public void Large_nanosecond_durations_stay_exact(string path, long nanoseconds)
    {
        Assert.Equal(nanoseconds, Test01.Value.GetDurationNanoseconds(path));
        Assert.Equal(TimeSpan.FromTicks(nanoseconds / 100), Test01.Value.GetDuration(path));
    }

    [Theory]
    [InlineData("periods.day", 0, 0, 1)]
    [InlineData("periods.dayAsNumber", 0, 0, 2)]
    [InlineData("periods.week", 0, 0, 21)]
    [InlineData("periods.month", 0, 5, 0)]
    [InlineData("periods.year", 8, 0, 0)]
    public void Periods_read_as_years_months_and_days(string path, int years, int months, int days)
    {
        Assert.Equal(new HoconPeriod(years, months, days), Test01.Value.GetPeriod(path));
    }

    [Fact]
    public void Memory_sizes_read_in_bytes()
    {
        var config = Test01.Value;
        Assert.Equal(1048576L, config.GetByteSize("memsizes.meg"));
        Assert.All(config.GetByteSizeList("memsizes.megsList"), size => Assert.Equal(1048576L, size));
        Assert.Equal(524288L, config.GetByteSize("memsizes.halfMeg"));
    }

    [Fact]
    public void Yottabytes_need_big_integers()
    {
        var config = Test01.Value;
        Assert.Equal(BigInteger.Pow(10, 24), config.GetByteSizeBigInteger("memsizes.yottabyte"));
        var list = config.GetList("memsizes.yottabyteList");
        Assert.Equal(BigInteger.Pow(10, 24), ReadBig(list[0]));
        Assert.Equal(2, list.Count);
        Assert.Equal(5 * BigInteger.Pow(10, 23), ReadBig(list[1]));
        Assert.Throws<HoconWrongTypeException>(() => config.GetByteSize("memsizes.yottabyte"));
    }

    [Fact]
    public void Point_thirty_three_is_a_string_that_reads_as_a_double()
    {
        var config = Test01.Value;
        Assert.IsType<HoconString>(config.GetValue("floats.pointThirtyThree"));
        Assert.Equal(0.33, config.GetDouble("floats.pointThirtyThree"));
    }

    [Fact]
    public void Strings_convert_to_numbers_and_booleans()
    {
        var config = Test01.Value;
        Assert.Equal(57, config.GetInt("strings.number"));
        Assert.True(config.GetBoolean("strings.yes"));
        Assert.False(config.GetBoolean("strings.no"));
    }

    [Fact]
    public void First_element_not_a_substitution_keeps_both_elements()
    {
        Assert.Equal(["a", "b"], Test01.Value.GetStringList("arrays.firstElementNotASubst"));
    }

    [Theory]
    [InlineData("42_a", 42)]
    [InlineData("42_b", 42)]
    [InlineData("57_a", 57)]
    [InlineData("57_b", 57)]
    [InlineData("103_a", 103)]
    public void Test02_substitutions_through_quoted_and_empty_keys(string key, int expected)
    {
        Assert.Equal(expected, Load("test02.conf").GetInt($"\"{key}\""));
    }

    [Fact]
    public void Test06_delayed_merges()
    {
        var config = Load("test06.conf");
        Assert.Equal(2, config.GetInt("x"));
        Assert.Equal(10, config.GetInt("y.foo"));
        Assert.Equal("world", config.GetString("y.hello"));
        Assert.Equal(2, config.GetObject("y").Count);
    }

    [Theory]
    [InlineData("test09.conf", "")]
    [InlineData("test10.conf", "foo.")]
    [InlineData("test10.conf", "bar.nested.")]
    public void Test09_delayed_merge_objects_also_when_included(string file, string prefix)
    {
        var config = Load(file);
        Assert.Equal(3, config.GetInt(prefix + "a.c"));
        Assert.Equal(10, config.GetInt(prefix + "a.q"));
        Assert.Equal(5, config.GetInt(prefix + "b"));
    }

    private static BigInteger ReadBig(HoconValue value) =>
        new Config(new HoconObject([new KeyValuePair<string, HoconValue>("v", value)])).GetByteSizeBigInteger("v");
}
