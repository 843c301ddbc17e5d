using ActorHost.Hocon.Tests.Support;

namespace ActorHost.Hocon.Tests.Conformance;

/// <summary>Checking validate-invalid.conf against validate-reference.conf reports exactly the problems the corpus README lists.</summary>
public class ValidationConformanceTests
{
    private static readonly Lazy<IReadOnlyList<ValidationProblem>> Problems = new(() =>
    {
        var reference = ConfigFactory.ParseFile(ConformanceCorpus.PathOf("validate-reference.conf")).Resolve(HoconResolveOptions.NoEnvironment);
        var invalid = ConfigFactory.ParseFile(ConformanceCorpus.PathOf("validate-invalid.conf")).Resolve(HoconResolveOptions.NoEnvironment);
        return ConfigValidator.Validate(invalid, reference);
    });

    public static TheoryData<string, int, ValidationProblemKind, string, string> ExpectedProblems() => new()
    {
        { "willBeMissing", 1, ValidationProblemKind.Missing, "number", "" },
        { "int3", 7, ValidationProblemKind.WrongType, "number", "object" },
        { "float2", 9, ValidationProblemKind.WrongType, "number", "boolean" },
        { "float3", 10, ValidationProblemKind.WrongType, "number", "list" },
        { "bool1", 11, ValidationProblemKind.WrongType, "boolean", "number" },
        { "bool3", 13, ValidationProblemKind.WrongType, "boolean", "object" },
        { "object1.a", 17, ValidationProblemKind.Missing, "string", "" },
        { "object2", 18, ValidationProblemKind.WrongType, "object", "list" },
        { "object3", 19, ValidationProblemKind.WrongType, "object", "number" },
        { "array3", 22, ValidationProblemKind.WrongElementType, "boolean", "object" },
        { "array4", 23, ValidationProblemKind.WrongElementType, "object", "number" },
        { "array5", 24, ValidationProblemKind.WrongType, "list", "number" },
        { "a.b.c.d.e.f.g", 28, ValidationProblemKind.WrongType, "boolean", "number" },
        { "a.b.c.d.e.f.j", 28, ValidationProblemKind.Missing, "boolean", "" },
        { "a.b.c.d.e.f.i", 30, ValidationProblemKind.WrongType, "boolean", "list" },
    };

    [Theory]
    [MemberData(nameof(ExpectedProblems))]
    public void Listed_problem_is_reported(string path, int line, ValidationProblemKind kind, string expected, string actual)
    {
        var problem = Assert.Single(Problems.Value, p => p.Path == path);
        Assert.Equal(line, problem.Origin.Line);
        Assert.EndsWith("validate-invalid.conf", problem.Origin.Source, StringComparison.Ordinal);
        Assert.Equal(kind, problem.Kind);
        Assert.Equal(expected, problem.Expected);
        Assert.Equal(actual, problem.Actual);
    }

    [Fact]
    public void No_other_problem_is_reported()
    {
        var listed = ExpectedProblems().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(Problems.Value, p => !listed.Contains(p.Path));
        Assert.Equal(15, Problems.Value.Count);
    }

    [Fact]
    public void Every_problem_renders_with_file_line_and_column()
    {
        Assert.All(Problems.Value, p => Assert.Matches(@"validate-invalid\.conf:\d+:\d+: \S", p.ToString()));
    }
}
