namespace ActorHost.Gateway.Configuration;

/// <summary>OTLP export of metrics and traces: <c>actorhost.telemetry.otlp</c>.</summary>
internal sealed record OtlpOptions
{
    /// <summary>Off by default: nothing leaves the process.</summary>
    public bool Enabled { get; init; }

    /// <summary>The collector's address.</summary>
    public Uri Endpoint { get; init; } = new("http://127.0.0.1:4317");

    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    public OtlpWireProtocol Protocol { get; init; } = OtlpWireProtocol.Grpc;
}

/// <summary>OTLP transports.</summary>
internal enum OtlpWireProtocol
{
    /// <summary>OTLP over gRPC.</summary>
    Grpc,

    /// <summary>OTLP over HTTP with protobuf bodies.</summary>
    HttpProtobuf,
}
