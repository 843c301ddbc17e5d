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
    // Relative to the endpoint, so that a path prefix the user gave is kept.
    private const string TracesPath = "v1/traces";
    private const string MetricsPath = "v1/metrics";

    private readonly MeterProvider _meters;
    private readonly TracerProvider _traces;

    public OtlpExport(OtlpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ResourceBuilder resource = ResourceBuilder.CreateDefault().AddService("actorhost");
        _meters = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter("ActorHost.*", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddOtlpExporter(exporter => Configure(exporter, options, MetricsPath))
            .Build();
        _traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource("ActorHost.*")
            .AddOtlpExporter(exporter => Configure(exporter, options, TracesPath))
            .Build();
    }

    public void Dispose()
    {
        _traces.Dispose();
        _meters.Dispose();
    }

    /// <summary>
    /// The address one signal is sent to. gRPC takes the collector's address as it is (the signal is in the
    /// gRPC method). OTLP/HTTP has one path per signal, and the SDK uses an endpoint set in code as-is
    /// (it appends <c>/v1/&lt;signal&gt;</c> only to the one from <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), so
    /// without this every export went to <c>/</c>, which a collector answers 404. A path the user gave is
    /// kept as a prefix (<c>http://collector:4318/otlp</c> sends to <c>/otlp/v1/traces</c>).
    /// </summary>
    internal static Uri SignalEndpoint(OtlpOptions options, string signalPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Protocol == OtlpWireProtocol.Grpc)
        {
            return options.Endpoint;
        }

        var withTrailingSlash = new UriBuilder(options.Endpoint) { Query = string.Empty, Fragment = string.Empty };
        if (!withTrailingSlash.Path.EndsWith('/'))
        {
            withTrailingSlash.Path += "/";
        }

        return new Uri(withTrailingSlash.Uri, signalPath);
    }

    private static void Configure(OtlpExporterOptions exporter, OtlpOptions options, string signalPath)
    {
        exporter.Endpoint = SignalEndpoint(options, signalPath);
        exporter.Protocol = options.Protocol == OtlpWireProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
    }
}
