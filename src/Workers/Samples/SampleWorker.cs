using System.Globalization;
using System.Text;

namespace ActorHost.Workers.Samples;

/// <summary>
/// Base of the sample workers: when <see cref="SampleWorkerOptions.StopMarkerDirectory"/> is set, each
/// incarnation leaves a marker file when it stops, named after its route, worker and incarnation, holding its
/// path and incarnation — so a test can see that every live worker's stop hook ran.
/// </summary>
public abstract class SampleWorker(SampleWorkerOptions options) : RequestWorker
{
    private string? _marker;
    private string _markerText = string.Empty;

    /// <inheritdoc />
    protected override void OnStarted()
    {
        // Captured while the context is live: OnStopped may run after an abandonment made it stale.
        if (options.StopMarkerDirectory is { Length: > 0 } directory)
        {
            string name = $"{Context.Route}_{Context.Path[(Context.Path.LastIndexOf('/') + 1)..]}_{Context.Incarnation.ToString(CultureInfo.InvariantCulture)}.stopped";
            _marker = Path.Combine(directory, string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c == '%' ? '_' : c)));
            _markerText = $"{Context.Path} {Context.Incarnation.ToString(CultureInfo.InvariantCulture)}\n";
        }
    }

    /// <inheritdoc />
    protected override void OnStopped()
    {
        if (_marker is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_marker)!);
            File.WriteAllText(_marker, _markerText, Encoding.UTF8);
        }
    }
}
