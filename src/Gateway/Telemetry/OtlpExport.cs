using ActorHost.Gateway.Configuration;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ActorHost.Gateway.Telemetry;

/// <summary>
/// Exports every ActorHost meter and activity source (<c>ActorHost.*</c>) plus ASP.NET Core's own server
/// metrics over OTLP, when <c>actorhost.telemetry.otlp.enabled = on</c>. The providers are built directly
/// with the SDK (no hosting extension package); disposing this flushes and stops them.
/// </summary>
internal sealed class OtlpExport : IDisposable
{
    private readonly MeterProvider _meters;
    private readonly TracerProvider _traces;

    public OtlpExport(OtlpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ResourceBuilder resource = ResourceBuilder.CreateDefault().AddService("actorhost");
        _meters = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter("ActorHost.*", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddOtlpExporter(exporter => Configure(exporter, options))
            .Build();
        _traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource("ActorHost.*")
            .AddOtlpExporter(exporter => Configure(exporter, options))
            .Build();
    }

    public void Dispose()
    {
        _traces.Dispose();
        _meters.Dispose();
    }

    private static void Configure(OtlpExporterOptions exporter, OtlpOptions options)
    {
        exporter.Endpoint = options.Endpoint;
        exporter.Protocol = options.Protocol == OtlpWireProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
    }
}
