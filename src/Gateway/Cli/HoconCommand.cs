using ActorHost.Hocon;

namespace ActorHost.Gateway.Cli;

/// <summary>
/// <c>actorhost hocon FILE [--env]</c>: prints that one file, resolved on its own (no reference.conf, and no
/// environment fallback unless <c>--env</c>), as indented JSON on stdout and exits 0; on a configuration
/// error prints <c>file:line:column: message</c> on stderr and exits 78 (EX_CONFIG). Secrets are redacted as in
/// <c>actorhost config</c> (<see cref="SecretRedactor"/>): with <c>--env</c> they typically come from the
/// environment, and the output ends up in terminals and CI logs.
/// </summary>
internal static class HoconCommand
{
    /// <summary>The exit code for a configuration error (sysexits EX_CONFIG).</summary>
    public const int ConfigurationError = 78;

    /// <summary>The exit code for wrong command-line arguments (sysexits EX_USAGE).</summary>
    public const int UsageError = Hosting.GatewayExitCode.UsageError;

    private const string Usage = "usage: actorhost hocon FILE [--env]\n  prints FILE resolved as JSON; --env lets unresolved substitutions fall back to environment variables";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        string? file = null;
        var useEnvironment = false;
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--env":
                    useEnvironment = true;
                    break;
                case "-h" or "--help":
                    stdout.WriteLine(Usage);
                    return 0;
                default:
                    if (arg.StartsWith('-') || file is not null)
                    {
                        stderr.WriteLine($"actorhost hocon: unexpected argument '{arg}'");
                        stderr.WriteLine(Usage);
                        return UsageError;
                    }

                    file = arg;
                    break;
            }
        }

        if (file is null)
        {
            stderr.WriteLine(Usage);
            return UsageError;
        }

        try
        {
            var options = useEnvironment ? HoconResolveOptions.Default : HoconResolveOptions.NoEnvironment;
            var config = ConfigFactory.ParseFile(file).Resolve(options);
            stdout.WriteLine(SecretRedactor.Redact(config.ToJson(indented: true)));
            return 0;
        }
        catch (HoconException e)
        {
            stderr.WriteLine(e.Message);
            return ConfigurationError;
        }
    }
}
