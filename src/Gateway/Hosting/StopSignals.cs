using System.Runtime.InteropServices;
using ActorHost.Gateway.Shutdown;

namespace ActorHost.Gateway.Hosting;

/// <summary>
/// The process's SIGTERM and SIGINT handlers, from the moment <c>actorhost</c> begins until it exits. Before the
/// gateway exists (configuration load, host build) a signal is only remembered — the runtime's default would kill
/// the process with 143 and no word — so the run command can abandon the start cleanly; once the graceful shutdown
/// is attached, remembered and later signals go to it.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(string Name, int Number)> _early = [];
    private readonly List<PosixSignalRegistration> _registrations = [];
    private GracefulShutdown? _shutdown;
    private bool _disposed;

    /// <summary>The first signal that arrived before a shutdown was attached, or null.</summary>
    public string? EarlySignal
    {
        get { lock (_gate) { return _early.Count > 0 ? _early[0].Name : null; } }
    }

    /// <summary>Registers the handlers (once); from now on the runtime's default action no longer applies.</summary>
    public void Listen()
    {
        lock (_gate)
        {
            if (_registrations.Count > 0 || _disposed)
            {
                return;
            }

            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
        }
    }

    /// <summary>Sends every signal to <paramref name="shutdown"/> from now on, first those that arrived before it existed.</summary>
    public void Attach(GracefulShutdown shutdown)
    {
        ArgumentNullException.ThrowIfNull(shutdown);
        (string Name, int Number)[] early;
        lock (_gate)
        {
            _shutdown = shutdown;
            early = [.. _early];
            _early.Clear();
        }

        // Outside the lock: a third signal exits the process from inside OnSignal.
        foreach ((string name, int number) in early)
        {
            shutdown.OnSignal(name, number);
        }
    }

    /// <summary>What a handler does with a stop signal: remembers it, or hands it to the attached shutdown.</summary>
    internal void Deliver(string name, int number)
    {
        GracefulShutdown? shutdown;
        lock (_gate)
        {
            shutdown = _shutdown;
            if (shutdown is null)
            {
                _early.Add((name, number));
                return;
            }
        }

        shutdown.OnSignal(name, number);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (PosixSignalRegistration registration in _registrations)
            {
                registration.Dispose();
            }

            _registrations.Clear();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the runtime's default (terminate now) from happening: the start is abandoned or the host stops in order.
        context.Cancel = true;
        (string name, int number) = context.Signal == PosixSignal.SIGINT ? ("SIGINT", 2) : ("SIGTERM", 15);
        Deliver(name, number);
    }
}
