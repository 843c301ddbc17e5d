using System.Buffers;
using System.Globalization;

namespace ActorHost.Workers.Samples;

/// <summary><c>POST /echo</c>: answers 200 with the request body and its content type.</summary>
public sealed class EchoWorker(SampleWorkerOptions options) : SampleWorker(options)
{
    private const int ChunkSize = 16 * 1024;

    /// <inheritdoc />
    public override async Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        response.ContentType = request.ContentType ?? "application/octet-stream";

        // The gateway caps the body (max-request-body-size), so buffering it lets the answer carry an exact
        // Content-Length and go out in one write.
        // One spare byte for a declared length: the read that sees the end then needs no larger buffer.
        var body = new ArrayBufferWriter<byte>(request.ContentLength is >= 0 and < 1 << 20 ? (int)request.ContentLength.Value + 1 : ChunkSize);
        while (true)
        {
            int read = await request.Body.ReadAsync(body.GetMemory(1), cancellationToken);
            if (read == 0)
            {
                break;
            }

            body.Advance(read);
        }

        response.SetHeader("Content-Length", body.WrittenCount.ToString(CultureInfo.InvariantCulture));
        if (body.WrittenCount > 0)
        {
            await response.WriteAsync(body.WrittenMemory, cancellationToken);
        }
    }
}
