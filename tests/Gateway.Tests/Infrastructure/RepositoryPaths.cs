namespace ActorHost.Gateway.Tests.Infrastructure;

/// <summary>Finds files of the repository (the shipped hocon/ folder, the examples) from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Hocon => Path.Combine(Root, "hocon");

    public static string Examples => Path.Combine(Root, "hocon", "examples");

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorHost.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with ActorHost.sln) was not found above " + AppContext.BaseDirectory);
    }
}
