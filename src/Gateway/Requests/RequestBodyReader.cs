using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// Reads a request body into memory, up to the configured limit, before any worker sees the request.
/// </summary>
/// <remarks>
/// Buffering (bounded by <c>max-request-body-size</c>, 1 MiB by default) buys three things: an oversized
/// body is refused with 413 before a worker is involved, a worker never blocks its mailbox on a slow
/// uploader, and the connection is fully read so Kestrel notices a client that disconnects while the
/// handler runs. The price is that a route cannot stream a large upload; raise the limit per deployment
/// if bodies are legitimately large.
/// </remarks>
internal static class RequestBodyReader
{
    /// <summary>Null when the body is over the limit; otherwise the whole body.</summary>
    /// <remarks>
    /// A value task, and no state machine on the usual path: a small body has usually arrived with its headers, and
    /// then it is copied out of Kestrel's buffer without awaiting anything.
    /// </remarks>
    public static ValueTask<ReadOnlyMemory<byte>?> ReadAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        HttpRequest request = context.Request;
        if (request.ContentLength > limit)
        {
            return new((ReadOnlyMemory<byte>?)null);
        }

        // Let Kestrel enforce the same limit on chunked bodies too (it throws BadHttpRequestException 413).
        IHttpMaxRequestBodySizeFeature? sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        if (request.ContentLength == 0 || (request.ContentLength is null && !HasChunkedBody(request)))
        {
            return new(ReadOnlyMemory<byte>.Empty);
        }

        try
        {
            if (request.ContentLength is long length && length <= Array.MaxLength)
            {
                // A declared length (already checked against the limit) is read straight into an array of exactly
                // that size: no intermediate chunk, no growth. Kestrel ends the body at the length.
                byte[] body = new byte[length];
                int arrived = TakeArrived(request.BodyReader, body);
                return arrived == body.Length
                    ? new(body)
                    : ReadRestAsync(request.Body, body, arrived, cancellationToken);
            }

            return ReadChunkedAsync(request.Body, limit, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (IsOverLimit(ex))
        {
            return new((ReadOnlyMemory<byte>?)null);
        }
    }

    /// <summary>The bytes of a body <see cref="ReadAsync"/> returned, without a copy when they fill their array exactly.</summary>
    public static byte[] ToArray(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out ArraySegment<byte> whole) && whole.Offset == 0 && whole.Count == whole.Array!.Length
            ? whole.Array
            : body.ToArray();

    /// <summary>
    /// Copies what of the body Kestrel already holds into <paramref name="body"/>, without waiting for more, and
    /// returns how many bytes that was (none when nothing has arrived, e.g. a client waiting for 100 Continue).
    /// </summary>
    private static int TakeArrived(PipeReader reader, byte[] body)
    {
        if (!reader.TryRead(out ReadResult result))
        {
            return 0;
        }

        if (result.IsCanceled)
        {
            // Shutdown cut the request off before its read began (see InFlightRequest.TryCutOffBeforeDispatch).
            reader.AdvanceTo(result.Buffer.Start);
            throw new OperationCanceledException("The read was canceled.");
        }

        ReadOnlySequence<byte> buffered = result.Buffer;
        int taken = (int)Math.Min(buffered.Length, body.Length);
        buffered.Slice(0, taken).CopyTo(body);
        reader.AdvanceTo(buffered.GetPosition(taken));
        return taken;
    }

    /// <summary>Reads the rest of a declared-length body, after the <paramref name="filled"/> bytes that had arrived.</summary>
    private static async ValueTask<ReadOnlyMemory<byte>?> ReadRestAsync(Stream stream, byte[] body, int filled, CancellationToken cancellationToken)
    {
        try
        {
            while (filled < body.Length)
            {
                int read = await stream.ReadAsync(body.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }
        catch (BadHttpRequestException ex) when (IsOverLimit(ex))
        {
            return null;
        }

        return body.AsMemory(0, filled);
    }

    private static async ValueTask<ReadOnlyMemory<byte>?> ReadChunkedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream(4096);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                int read = await body.ReadAsync(chunk, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (IsOverLimit(ex))
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        // The stream's own array, not a copy.
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>Kestrel's own refusal of a body over the limit set above (a chunked one, or one read past it).</summary>
    private static bool IsOverLimit(BadHttpRequestException ex) => ex.StatusCode == StatusCodes.Status413PayloadTooLarge;

    private static bool HasChunkedBody(HttpRequest request) =>
        request.Headers.TransferEncoding.Count > 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
}
