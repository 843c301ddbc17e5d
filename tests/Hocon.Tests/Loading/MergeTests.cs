using ActorHost.Hocon.Tests.Support;

namespace ActorHost.Hocon.Tests.Loading;

public class MergeTests
{
    [Fact]
    public void Duplicate_object_keys_merge_recursively()
    {
        HoconText.AssertResolvesTo("""{"foo":{"a":{"x":1,"y":2},"b":43}}""", "foo { a { x = 1 }, b = 1 }\nfoo { a { y = 2 }, b = 43 }");
    }

    [Fact]
    public void Later_non_object_replaces_and_later_object_replaces_non_object()
    {
        HoconText.AssertResolvesTo("""{"a":2,"b":{"y":1}}""", "a { x = 1 }\na = 2\nb = 5\nb { y = 1 }");
    }

    [Fact]
    public void Null_in_between_blocks_the_merge()
    {
        HoconText.AssertResolvesTo("""{"foo":{"b":43}}""", "foo : { a : 42 }, foo : null, foo : { b : 43 }");
    }

    [Fact]
    public void Object_concatenation_merges_left_to_right()
    {
        HoconText.AssertResolvesTo("""{"a":{"b":1,"c":3}}""", "a : { b : 1, c : 2 } { c : 3 }");
    }

    [Fact]
    public void Array_concatenation_appends()
    {
        HoconText.AssertResolvesTo("""{"a":[1,2,3,4]}""", "a : [ 1, 2 ] [ 3, 4 ]");
    }

    [Fact]
    public void Mixing_arrays_and_objects_in_a_concatenation_is_an_error()
    {
        var error = HoconText.AssertFailsAt(1, 5, "a = [1] { b = 2 }");
        Assert.Contains("cannot concatenate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plus_equals_appends_to_the_earlier_array_or_starts_one()
    {
        HoconText.AssertResolvesTo("""{"a":[1,2,3],"b":[[1]],"c":{"d":["x","y"]}}""", "a = [1]\na += 2\na += 3\nb += [1]\nc { d += x }\nc.d += y");
    }

    [Fact]
    public void Plus_equals_on_a_non_array_is_an_error()
    {
        HoconText.AssertFailsAt(2, 1, "a = 1\na += 2");
    }

    [Fact]
    public void Plus_equals_inside_an_array_element_is_an_error()
    {
        HoconText.AssertFailsAt(1, 9, "a = [ { b += 1 } ]");
    }

    [Fact]
    public void Numerically_indexed_object_concatenates_with_a_list()
    {
        HoconText.AssertResolvesTo("""{"a":{"1":2,"0":1},"b":[1,2,3]}""", "a { \"1\" = 2, \"0\" = 1 }\nb = ${a} [3]");
    }

    [Fact]
    public void Fallback_layering_merges_objects_and_resolves_across_layers()
    {
        var reference = ConfigFactory.ParseString("a { x = 1, y = ${a.x} }\nlist = [1]");
        var application = ConfigFactory.ParseString("a { x = 2 }\nlist += 2");

        var config = application.WithFallback(reference).Resolve(HoconResolveOptions.NoEnvironment);

        Assert.Equal(2, config.GetInt("a.y"));
        Assert.Equal([1, 2], config.GetIntList("list"));
    }

    [Fact]
    public void Resolved_reference_is_not_affected_by_the_application_layer()
    {
        var reference = ConfigFactory.ParseString("a = ${b}\nb = b").Resolve(HoconResolveOptions.NoEnvironment);
        var application = ConfigFactory.ParseString("b = overridden\nc = ${a}");

        var config = application.WithFallback(reference).Resolve(HoconResolveOptions.NoEnvironment);

        Assert.Equal("b", config.GetString("a"));
        Assert.Equal("b", config.GetString("c"));
        Assert.Equal("overridden", config.GetString("b"));
    }

    [Fact]
    public void Layering_does_not_change_either_layer()
    {
        var lower = ConfigFactory.ParseString("a { x = 1 }");
        var upper = ConfigFactory.ParseString("a { y = 2 }");

        _ = upper.WithFallback(lower).Resolve();

        Assert.Equal("""{"a":{"x":1}}""", lower.Resolve().ToJson());
        Assert.Equal("""{"a":{"y":2}}""", upper.Resolve().ToJson());
    }

    [Fact]
    public void Layering_a_resolved_config_over_a_document_does_not_change_the_document()
    {
        var document = ConfigFactory.ParseString("a { x = 1 }");
        var resolved = UnresolvedConfig.Empty.WithFallback(ConfigFactory.ParseString("a { y = 2 }").Resolve());

        var layered = resolved.WithFallback(document).Resolve();

        Assert.Equal("""{"a":{"x":1,"y":2}}""", layered.ToJson());
        Assert.Equal("""{"a":{"x":1}}""", document.Resolve().ToJson());
    }

    [Fact]
    public void Null_then_object_in_a_later_layer_blocks_the_merge_with_the_fallback()
    {
        var lower = ConfigFactory.ParseString("a { x = 1 }\nb { x = 1 }");
        var upper = ConfigFactory.ParseString("a = null\na { y = 2 }\nb = 5\nb { y = 2 }");

        var config = upper.WithFallback(lower).Resolve(HoconResolveOptions.NoEnvironment);

        Assert.Equal("""{"a":{"y":2},"b":{"y":2}}""", config.ToJson());
    }

    [Fact]
    public void Null_then_object_in_a_later_file_blocks_the_merge_with_the_resolved_reference()
    {
        using var dir = new TempDirectory();
        string reference = dir.Write("reference.conf", "a { x = 1, keep = 0 }");
        string app = dir.Write("app.conf", "a = null\na { y = 2 }");

        Config config = ConfigFactory.Load(reference, [app], HoconResolveOptions.NoEnvironment);

        Assert.Equal("""{"a":{"y":2}}""", config.ToJson());
    }

    [Fact]
    public void A_blocked_object_stays_blocked_when_a_higher_layer_merges_into_it()
    {
        var bottom = ConfigFactory.ParseString("a { x = 1 }");
        var middle = ConfigFactory.ParseString("a = null\na { y = 2 }");
        var top = ConfigFactory.ParseString("a { z = 3 }");

        var config = top.WithFallback(middle.WithFallback(UnresolvedConfig.Empty)).WithFallback(bottom).Resolve(HoconResolveOptions.NoEnvironment);

        Assert.Equal("""{"a":{"y":2,"z":3}}""", config.ToJson());
    }

    [Fact]
    public void A_blocked_object_followed_by_a_self_reference_still_ignores_the_fallback()
    {
        var lower = ConfigFactory.ParseString("a { x = 1 }");
        var upper = ConfigFactory.ParseString("a = null\na { y = 2 }\na = ${a} { z = 3 }");

        var config = upper.WithFallback(lower).Resolve(HoconResolveOptions.NoEnvironment);

        Assert.Equal("""{"a":{"y":2,"z":3}}""", config.ToJson());
    }

    [Fact]
    public void Blocking_in_a_later_layer_leaves_the_layers_themselves_unchanged()
    {
        var lower = ConfigFactory.ParseString("a { x = 1 }");
        var upper = ConfigFactory.ParseString("a = null\na { y = 2 }");

        _ = upper.WithFallback(lower).Resolve(HoconResolveOptions.NoEnvironment);
        var unblocked = ConfigFactory.ParseString("a { z = 3 }").WithFallback(lower).Resolve(HoconResolveOptions.NoEnvironment);

        Assert.Equal("""{"a":{"x":1,"z":3}}""", unblocked.ToJson());
        Assert.Equal("""{"a":{"y":2}}""", upper.Resolve(HoconResolveOptions.NoEnvironment).ToJson());
    }

    [Fact]
    public void An_object_in_a_later_layer_still_merges_into_a_fallback_that_was_never_blocked()
    {
        var lower = ConfigFactory.ParseString("a = null\na { x = 1 }");
        var upper = ConfigFactory.ParseString("a { y = 2 }");

        var config = upper.WithFallback(lower).Resolve(HoconResolveOptions.NoEnvironment);

        Assert.Equal("""{"a":{"x":1,"y":2}}""", config.ToJson());
    }
}
