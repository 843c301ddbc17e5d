namespace ActorHost.Gateway.Cli;

/// <summary>The one message that lists every configuration problem (stderr, before anything listens).</summary>
internal static class ConfigurationProblems
{
    public static void Write(TextWriter stderr, IReadOnlyList<string> problems)
    {
        stderr.WriteLine($"actorhost: the configuration is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}); nothing was started:");
        foreach (string problem in problems)
        {
            stderr.WriteLine("  " + problem);
        }
    }
}
