using System.CommandLine;
using ActorHost.Gateway.Hosting;

namespace ActorHost.Gateway.Cli;

/// <summary>
/// The command line of <c>actorhost</c>:
/// <c>actorhost [--config FILE]... [--urls URLS]</c> runs the gateway;
/// <c>actorhost config [--config FILE]...</c> prints the effective configuration as JSON;
/// <c>actorhost hocon FILE [--env]</c> prints one file resolved on its own.
/// A command line the parser refuses (an unknown option, a missing value) exits 64 (EX_USAGE).
/// </summary>
internal static class GatewayCommandLine
{
    public static Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var configFiles = new Option<string[]>("--config")
        {
            Description = "A HOCON file layered over reference.conf and actorhost.conf; repeat it, later files win.",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
            Recursive = true,
        };
        var urls = new Option<string?>("--urls")
        {
            Description = "Where the gateway listens (semicolon-separated), replacing actorhost.gateway.urls.",
        };

        var root = new RootCommand("ActorHost: every HTTP request runs on a supervised worker actor.") { configFiles, urls };
        root.SetAction((result, cancellationToken) => RunCommand.RunAsync(
            result.GetValue(configFiles) ?? [],
            SplitUrls(result.GetValue(urls)),
            stdout,
            stderr));

        var config = new Command("config", "Print the effective configuration (all layers, resolved) as JSON and exit.");
        config.SetAction(result => ConfigCommand.Run(result.GetValue(configFiles) ?? [], stdout, stderr));
        root.Subcommands.Add(config);

        var hocon = new Command("hocon", "Print one HOCON file resolved on its own as JSON (hocon FILE [--env]).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        hocon.SetAction(result => HoconCommand.Run([.. result.UnmatchedTokens], stdout, stderr));
        root.Subcommands.Add(hocon);

        return InvokeAsync(root.Parse(args), stdout, stderr);
    }

    private static async Task<int> InvokeAsync(ParseResult parsed, TextWriter stdout, TextWriter stderr)
    {
        // The gateway handles its own signals (ordered stop, exit codes); the parser must not add its own.
        int exitCode = await parsed.InvokeAsync(new InvocationConfiguration
        {
            ProcessTerminationTimeout = null,
            Output = stdout,
            Error = stderr,
        });

        // A parse error has already been reported by the parser (its message, a suggestion, the help); its own code
        // is 1, which the README keeps for "could not start" and which a supervisor retries.
        return parsed.Errors.Count > 0 ? GatewayExitCode.UsageError : exitCode;
    }

    private static string[]? SplitUrls(string? urls) =>
        string.IsNullOrWhiteSpace(urls) ? null : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
