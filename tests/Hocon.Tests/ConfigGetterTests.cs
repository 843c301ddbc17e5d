using System.Numerics;
using ActorHost.Hocon.Tests.Support;

namespace ActorHost.Hocon.Tests;

public class ConfigGetterTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    [InlineData("on", true)]
    [InlineData("off", false)]
    [InlineData("\"true\"", true)]
    public void Booleans_accept_the_six_words(string text, bool expected)
    {
        Assert.Equal(expected, HoconText.Resolve("b = " + text).GetBoolean("b"));
    }

    [Fact]
    public void Other_words_are_not_booleans_and_the_error_names_path_origin_and_type()
    {
        var error = Assert.Throws<HoconWrongTypeException>(() => HoconText.Resolve("x {\n  b = maybe\n}").GetBoolean("x.b"));
        Assert.StartsWith("string:2:7: 'x.b': expected boolean", error.Message, StringComparison.Ordinal);
        Assert.Equal("x.b", error.Path);
        Assert.Equal("boolean", error.ExpectedType);
    }

    [Fact]
    public void Numbers_read_as_every_numeric_type_and_as_strings()
    {
        var config = HoconText.Resolve("i = 42, l = 9000000000, d = 2.5, s = \"17\", e = 1e3, dec = 0.1");
        Assert.Equal(42, config.GetInt("i"));
        Assert.Equal(9_000_000_000L, config.GetLong("l"));
        Assert.Equal(2.5, config.GetDouble("d"));
        Assert.Equal(17, config.GetInt("s"));
        Assert.Equal(1000, config.GetInt("e"));
        Assert.Equal(0.1m, config.GetDecimal("dec"));
        Assert.Equal("42", config.GetString("i"));
        Assert.Equal("2.5", config.GetString("d"));
    }

    [Fact]
    public void Out_of_range_and_fractional_integers_are_wrong_types()
    {
        var config = HoconText.Resolve("l = 9000000000, f = 1.5");
        Assert.Throws<HoconWrongTypeException>(() => config.GetInt("l"));
        Assert.Throws<HoconWrongTypeException>(() => config.GetLong("f"));
    }

    [Theory]
    [InlineData("1000000000000000001.0", 1_000_000_000_000_000_001L)]
    [InlineData("9223372036854775807.00", long.MaxValue)]
    [InlineData("-9223372036854775808.0", long.MinValue)]
    [InlineData("12345678901234567e2", 1_234_567_890_123_456_700L)]
    [InlineData("1.5e1", 15L)]
    [InlineData("-0.000e5", 0L)]
    public void Whole_numbers_written_with_a_fraction_or_an_exponent_read_exactly_as_long(string text, long expected)
    {
        Assert.Equal(expected, HoconText.Resolve("n = " + text).GetLong("n"));
    }

    [Theory]
    [InlineData("9223372036854775808.0")]
    [InlineData("1000000000000000000.5")]
    [InlineData("1e19")]
    [InlineData("1e-400")]
    public void Numbers_that_are_not_an_exact_long_are_refused_not_rounded(string text)
    {
        var config = HoconText.Resolve("n = " + text);

        var error = Assert.Throws<HoconWrongTypeException>(() => config.GetLong("n"));
        Assert.Contains("not a whole number in range", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10ns", 10L)]
    [InlineData("10 nanos", 10L)]
    [InlineData("10nanoseconds", 10L)]
    [InlineData("3us", 3_000L)]
    [InlineData("3 micro", 3_000L)]
    [InlineData("3 microseconds", 3_000L)]
    [InlineData("7ms", 7_000_000L)]
    [InlineData("7 millis", 7_000_000L)]
    [InlineData("7 milliseconds", 7_000_000L)]
    [InlineData("2s", 2_000_000_000L)]
    [InlineData("2 second", 2_000_000_000L)]
    [InlineData("2 seconds", 2_000_000_000L)]
    [InlineData("1m", 60_000_000_000L)]
    [InlineData("1 minute", 60_000_000_000L)]
    [InlineData("1h", 3_600_000_000_000L)]
    [InlineData("1 hours", 3_600_000_000_000L)]
    [InlineData("1d", 86_400_000_000_000L)]
    [InlineData("1 days", 86_400_000_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("250", 250_000_000L)]
    [InlineData("\"250\"", 250_000_000L)]
    [InlineData("-5s", -5_000_000_000L)]
    public void Duration_units_of_the_spec(string text, long nanoseconds)
    {
        var config = HoconText.Resolve("d = " + text);
        Assert.Equal(nanoseconds, config.GetDurationNanoseconds("d"));
        Assert.Equal(TimeSpan.FromTicks(nanoseconds / 100), config.GetDuration("d"));
    }

    [Fact]
    public void Infinite_duration_reads_as_the_infinite_timeout()
    {
        var config = HoconText.Resolve("d = infinite");
        Assert.Equal(Timeout.InfiniteTimeSpan, config.GetDuration("d"));
        Assert.Throws<HoconWrongTypeException>(() => config.GetDurationNanoseconds("d"));
    }

    // Timeout.InfiniteTimeSpan is -1 ms; only the word infinite may read as it, or a negative setting would
    // silently mean "no limit".
    [Theory]
    [InlineData("-1ms")]
    [InlineData("-1")]
    [InlineData("-1000us")]
    [InlineData("-1000000ns")]
    public void A_finite_duration_equal_to_the_infinite_timeout_is_refused(string text)
    {
        var error = Assert.Throws<HoconWrongTypeException>(() => HoconText.Resolve("d = " + text).GetDuration("d"));
        Assert.Contains("write infinite", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMilliseconds(-2), HoconText.Resolve("d = -2ms").GetDuration("d"));
    }

    [Theory]
    [InlineData("5 parsecs")]
    [InlineData("5S")]
    [InlineData("s")]
    [InlineData("[1]")]
    public void Bad_durations_name_the_valid_units_or_the_type(string text)
    {
        var error = Assert.Throws<HoconWrongTypeException>(() => HoconText.Resolve("d = " + text).GetDuration("d"));
        Assert.Equal("duration", error.ExpectedType);
        Assert.StartsWith("string:1:5: 'd': expected duration", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10", 10L)]
    [InlineData("10B", 10L)]
    [InlineData("10 bytes", 10L)]
    [InlineData("1kB", 1_000L)]
    [InlineData("1 kilobytes", 1_000L)]
    [InlineData("1MB", 1_000_000L)]
    [InlineData("1 gigabyte", 1_000_000_000L)]
    [InlineData("1TB", 1_000_000_000_000L)]
    [InlineData("1PB", 1_000_000_000_000_000L)]
    [InlineData("1EB", 1_000_000_000_000_000_000L)]
    [InlineData("1K", 1_024L)]
    [InlineData("1k", 1_024L)]
    [InlineData("1Ki", 1_024L)]
    [InlineData("1KiB", 1_024L)]
    [InlineData("1 kibibytes", 1_024L)]
    [InlineData("1 MiB", 1_048_576L)]
    [InlineData("2g", 2_147_483_648L)]
    [InlineData("1 tebibyte", 1_099_511_627_776L)]
    [InlineData("1P", 1_125_899_906_842_624L)]
    [InlineData("1Ei", 1_152_921_504_606_846_976L)]
    [InlineData("1.5K", 1_536L)]
    public void Byte_size_units_of_the_spec(string text, long bytes)
    {
        Assert.Equal(bytes, HoconText.Resolve("s = " + text).GetByteSize("s"));
    }

    [Fact]
    public void Zetta_and_yotta_sizes_need_big_integers()
    {
        var config = HoconText.Resolve("z = 1ZB, y = 1 yobibyte");
        Assert.Equal(BigInteger.Pow(1000, 7), config.GetByteSizeBigInteger("z"));
        Assert.Equal(BigInteger.Pow(1024, 8), config.GetByteSizeBigInteger("y"));
        Assert.Throws<HoconWrongTypeException>(() => config.GetByteSize("z"));
    }

    [Theory]
    [InlineData("-1K")]
    [InlineData("1 KB")]
    [InlineData("lots")]
    public void Bad_sizes_are_wrong_types(string text)
    {
        Assert.Throws<HoconWrongTypeException>(() => HoconText.Resolve("s = " + text).GetByteSize("s"));
    }

    [Fact]
    public void Lists_convert_each_element_and_name_the_bad_one()
    {
        var config = HoconText.Resolve("l = [1, 2, x]\nd = [1s, 2 m]\ns = [a, 1, true]");
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2)], config.GetDurationList("d"));
        Assert.Equal(["a", "1", "true"], config.GetStringList("s"));
        var error = Assert.Throws<HoconWrongTypeException>(() => config.GetIntList("l"));
        Assert.Equal("l[2]", error.Path);
    }

    [Fact]
    public void Numerically_indexed_objects_read_as_lists()
    {
        var config = HoconText.Resolve("o { \"2\" = c, \"0\" = a, \"1\" = b, x = ignored }\ne { x = 1 }");
        Assert.Equal(["a", "b", "c"], config.GetStringList("o"));
        Assert.Throws<HoconWrongTypeException>(() => config.GetList("e"));
    }

    [Fact]
    public void Objects_and_configs_read_by_path()
    {
        var config = HoconText.Resolve("a.b { c = 1 }\nlist = [{ x = 1 }, { x = 2 }]");
        Assert.Equal(1, config.GetConfig("a.b").GetInt("c"));
        Assert.Single(config.GetObject("a"));
        Assert.Equal([1, 2], config.GetConfigList("list").Select(c => c.GetInt("x")));
    }

    [Fact]
    public void Has_path_is_false_for_missing_and_null()
    {
        var config = HoconText.Resolve("a { b = 1, n = null }");
        Assert.True(config.HasPath("a.b"));
        Assert.False(config.HasPath("a.c"));
        Assert.False(config.HasPath("a.b.c"));
        Assert.False(config.HasPath("a.n"));
        Assert.True(config.HasPathOrNull("a.n"));
        Assert.True(config.IsNull("a.n"));
    }

    [Fact]
    public void Missing_settings_name_the_path_and_the_object_that_lacks_it()
    {
        var config = HoconText.Resolve("a {\n  b = 1\n}");
        var missing = Assert.Throws<HoconMissingException>(() => config.GetString("a.c"));
        Assert.Equal("a.c", missing.Path);
        Assert.StartsWith("string:1:3: no setting at 'a.c'", missing.Message, StringComparison.Ordinal);

        var blocked = Assert.Throws<HoconMissingException>(() => config.GetString("a.b.c"));
        Assert.Contains("'a.b' is number 1, not an object", blocked.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_settings_are_missing_for_typed_getters()
    {
        var error = Assert.Throws<HoconMissingException>(() => HoconText.Resolve("a = null").GetInt("a"));
        Assert.StartsWith("string:1:5:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_may_quote_keys_with_dots()
    {
        Assert.Equal(1, HoconText.Resolve("\"a.b\" { c = 1 }").GetInt("\"a.b\".c"));
        Assert.Throws<ArgumentException>(() => HoconText.Resolve("a = 1").GetInt("a..b"));
    }

    [Fact]
    public void With_fallback_and_at_path_compose_resolved_configs()
    {
        var app = HoconText.Resolve("a { x = 1 }");
        var reference = HoconText.Resolve("a { x = 0, y = 2 }\nb = 3");

        var merged = app.WithFallback(reference);

        Assert.Equal("""{"a":{"x":1,"y":2},"b":3}""", merged.ToJson());
        Assert.Equal(1, merged.AtPath("root.sub").GetInt("root.sub.a.x"));
    }

    [Fact]
    public void Rendering_is_json_with_numbers_as_written()
    {
        var config = HoconText.Resolve("a = 1.50\nb = \"x\\n\\u0001\"\nc = [true, null]");
        Assert.Equal("{\"a\":1.50,\"b\":\"x\\n\\u0001\",\"c\":[true,null]}", config.ToJson());
        Assert.Equal("{\n  \"a\": 1.50,\n  \"b\": \"x\\n\\u0001\",\n  \"c\": [\n    true,\n    null\n  ]\n}", config.ToJson(indented: true));
    }

    [Fact]
    public void Values_compare_structurally()
    {
        HoconValue left = HoconText.Resolve("a { x = 1.0, y = [1] }").Root;
        HoconValue right = HoconText.Resolve("a { y = [1], x = 1 }").Root;
        Assert.True(left.Equals(right));
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.False(HoconText.Resolve("a = 1").Root.Equals(HoconText.Resolve("a = \"1\"").Root));
    }

    [Fact]
    public void Periods_take_whole_numbers_and_date_units()
    {
        var config = HoconText.Resolve("a = 3, b = 2w, c = 1 mo, d = 4 years, e = 1.5d");
        Assert.Equal(new HoconPeriod(0, 0, 3), config.GetPeriod("a"));
        Assert.Equal(new HoconPeriod(0, 0, 14), config.GetPeriod("b"));
        Assert.Equal(new HoconPeriod(0, 1, 0), config.GetPeriod("c"));
        Assert.Equal(new HoconPeriod(4, 0, 0), config.GetPeriod("d"));
        Assert.Throws<HoconWrongTypeException>(() => config.GetPeriod("e"));
    }

    [Fact]
    public void Load_resolves_the_reference_alone_then_layers_the_files()
    {
        using var dir = new TempDirectory();
        var reference = dir.Write("reference.conf", "a = ${b}\nb = ref\nt = 5s");
        var first = dir.Write("first.conf", "b = first\nc = ${t}");
        var second = dir.Write("second.conf", "b = second");

        var config = ConfigFactory.Load(reference, [first, second], HoconResolveOptions.NoEnvironment);

        Assert.Equal("ref", config.GetString("a"));
        Assert.Equal("second", config.GetString("b"));
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetDuration("c"));
    }
}
