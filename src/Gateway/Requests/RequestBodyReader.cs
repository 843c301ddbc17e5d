using System.Buffers;
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
    /// <remarks>A value task: a small body has usually arrived with its headers, and then nothing is awaited.</remarks>
    public static async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        HttpRequest request = context.Request;
        if (request.ContentLength > limit)
        {
            return null;
        }

        // Let Kestrel enforce the same limit on chunked bodies too (it throws BadHttpRequestException 413).
        IHttpMaxRequestBodySizeFeature? sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        if (request.ContentLength == 0 || (request.ContentLength is null && !HasChunkedBody(request)))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        try
        {
            return request.ContentLength is long length && length <= Array.MaxLength
                ? await ReadDeclaredAsync(request.Body, (int)length, cancellationToken)
                : await ReadChunkedAsync(request.Body, limit, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    /// <summary>The bytes of a body <see cref="ReadAsync"/> returned, without a copy when they fill their array exactly.</summary>
    public static byte[] ToArray(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out ArraySegment<byte> whole) && whole.Offset == 0 && whole.Count == whole.Array!.Length
            ? whole.Array
            : body.ToArray();

    /// <summary>
    /// A declared length (already checked against the limit) is read straight into an array of exactly that
    /// size: no intermediate chunk, no growth, nothing to clear twice. Kestrel ends the body at the length.
    /// </summary>
    private static async ValueTask<ReadOnlyMemory<byte>?> ReadDeclaredAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[length];
        int filled = 0;
        while (filled < length)
        {
            int read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return buffer.AsMemory(0, filled);
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
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        // The stream's own array, not a copy.
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static bool HasChunkedBody(HttpRequest request) =>
        request.Headers.TransferEncoding.Count > 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
}
