using System.Globalization;

namespace ActorHost.Workers.Samples;

/// <summary><c>POST /echo</c>: answers 200 with the request body and its content type.</summary>
public sealed class EchoWorker(SampleWorkerOptions options) : SampleWorker(options)
{
    /// <inheritdoc />
    public override async Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        response.ContentType = request.ContentType ?? "application/octet-stream";

        // The gateway caps and buffers the body (max-request-body-size), so the answer carries an exact
        // Content-Length, goes out in one write, and reuses the gateway's buffer instead of copying it.
        ReadOnlyMemory<byte> body = await request.ReadBodyAsync(cancellationToken);
        response.SetHeader("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture));
        if (body.Length > 0)
        {
            await response.WriteAsync(body, cancellationToken);
        }
    }
}
