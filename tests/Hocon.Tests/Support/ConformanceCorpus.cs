namespace ActorHost.Hocon.Tests.Support;

/// <summary>
/// Finds the shared HOCON conformance corpus: <c>../shared/conformance/hocon/</c> beside the repository root
/// (the folder holding ActorHost.sln), or under <c>$ACTORHOST_SHARED</c> when that is set.
/// </summary>
public static class ConformanceCorpus
{
    private static readonly Lazy<string> Folder = new(Locate);

    public static string Root => Folder.Value;

    public static string PathOf(string relative) => System.IO.Path.Combine(Root, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    private static string Locate()
    {
        var shared = Environment.GetEnvironmentVariable("ACTORHOST_SHARED");
        if (string.IsNullOrEmpty(shared))
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "ActorHost.sln")))
            {
                dir = dir.Parent;
            }

            if (dir is null)
            {
                throw new InvalidOperationException($"ActorHost.sln not found above {AppContext.BaseDirectory}; set ACTORHOST_SHARED to the shared folder");
            }

            shared = System.IO.Path.Combine(dir.FullName, "..", "shared");
        }

        var corpus = System.IO.Path.GetFullPath(System.IO.Path.Combine(shared, "conformance", "hocon"));
        if (!Directory.Exists(corpus))
        {
            throw new InvalidOperationException($"the HOCON conformance corpus is not at {corpus}; set ACTORHOST_SHARED to the shared folder");
        }

        return corpus;
    }
}
