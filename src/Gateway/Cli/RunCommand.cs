using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Hosting;
using ActorHost.Gateway.Requests;
using ActorHost.Hocon;
using ActorHost.Workers;
using ActorHost.Workers.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Cli;

/// <summary>
/// <c>actorhost [--config FILE]... [--urls URLS]</c>: loads and validates the configuration (exit 78 with
/// every problem, before anything listens), starts the gateway and waits for it to stop; the exit code is
/// 0 for a clean stop or <c>actorhost.root.exit-code</c> after a root escalation.
/// </summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> configFiles, IReadOnlyList<string>? urls, TextWriter stdout, TextWriter stderr)
    {
        // First thing: a SIGTERM while the configuration loads or the host is built must not take the runtime's
        // default (exit 143, not a word). It is remembered, and the start is abandoned or the gateway shuts down.
        using var signals = new StopSignals();
        signals.Listen();
        GatewayConfigurationResult result = GatewayConfigurationLoader.Load(GatewayConfigurationLoader.ShippedDirectory, configFiles, GatewayWorkers.Register);
        // --urls replaces actorhost.gateway.urls, so it is checked the same way and reported in the same message.
        string[] urlProblems = urls is null ? [] : [.. ListenerAddresses.Problems(urls).Select(p => "--urls: " + p)];
        if (result.Configuration is not { } configuration || urlProblems.Length > 0)
        {
            ConfigurationProblems.Write(stderr, [.. result.Problems, .. urlProblems]);
            return GatewayExitCode.BadConfiguration;
        }

        if (await AbandonedAsync(signals, stderr))
        {
            return GatewayExitCode.CleanStop;
        }

        await using GatewayApplication app = GatewayApplication.Create(Startup(configuration, urls) with
        {
            Shutdown = configuration.Shutdown,
            Cluster = configuration.Cluster.Enabled ? configuration.Cluster : null,
            Signals = signals,
        });
        if (await AbandonedAsync(signals, stderr))
        {
            return GatewayExitCode.CleanStop;
        }

        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An address already in use (IOException), an https listener whose certificate cannot be loaded
            // (CryptographicException) or that has none (InvalidOperationException), …: say why in one line,
            // and do not pretend it was a clean stop.
            string reason = StartFailure.Describe(e);
            await stderr.WriteLineAsync($"actorhost: could not start: {reason}");
            Type failure = e.GetType();
            ILogger log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(GatewayLog.Category);
            GatewayLog.StartFailed(log, failure, reason);
            return GatewayExitCode.StartFailed;
        }

        await stdout.FlushAsync();
        return await app.WaitForShutdownAsync();
    }

    /// <summary>
    /// True when a stop signal arrived before anything started: nothing listens and nothing is in flight, so the
    /// start is given up with one line and the clean-stop code, as the signal asked. A signal after the last check
    /// is handed to the graceful shutdown when the host starts (<see cref="GatewayLifetime"/>).
    /// </summary>
    private static async Task<bool> AbandonedAsync(StopSignals signals, TextWriter stderr)
    {
        if (signals.EarlySignal is not { } signal)
        {
            return false;
        }

        await stderr.WriteLineAsync($"actorhost: {signal} received while starting; the start was abandoned (nothing was listening yet)");
        return true;
    }

    internal static GatewayStartup Startup(GatewayConfiguration configuration, IReadOnlyList<string>? urls) => new()
    {
        Settings = configuration.Settings,
        Configuration = configuration.AspNetConfiguration,
        Urls = urls,
        CreateRuntime = services => new WorkerRuntime(
            configuration.Workers,
            services,
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<TimeProvider>(),
            // An injected exit goes through the gateway's own exit, like a root escalation (and so can be watched in tests).
            exitProcess: services.GetRequiredService<IProcessExit>().Exit),
        ConfigureServices = services =>
        {
            GatewayWorkers.Register(services, configuration.Config);
            // The management API shows each route's effective strategy with its HOCON origin.
            services.AddSingleton(configuration.Workers);
            services.AddSingleton(sp => ((WorkerRuntime)sp.GetRequiredService<IWorkerRuntime>()).Faults);
        },
    };
}
