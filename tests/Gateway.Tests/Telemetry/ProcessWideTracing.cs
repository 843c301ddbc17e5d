namespace ActorHost.Gateway.Tests.Telemetry;

/// <summary>
/// Tests that switch tracing on for the whole process: an activity listener or an OTLP tracer provider makes
/// every gateway in the process record spans, so a test that checks behaviour without tracing (no made-up
/// trace id) must not run beside them. xUnit runs the classes of one collection one after the other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessWideTracing
{
    /// <summary>The collection's name.</summary>
    public const string Name = "process-wide tracing";
}
