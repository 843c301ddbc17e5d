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
    public static async Task<Stream?> ReadAsync(HttpContext context, long limit, CancellationToken cancellationToken)
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
            return Stream.Null;
        }

        // A declared length sizes the buffer up front (it is within the limit), but never more than 1 MiB at once.
        var buffer = new MemoryStream(request.ContentLength is long length ? (int)Math.Min(length, 1024 * 1024) : 4096);
        byte[] chunk = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await request.Body.ReadAsync(chunk, cancellationToken);
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
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        buffer.Position = 0;
        return buffer;
    }

    private static bool HasChunkedBody(HttpRequest request) =>
        request.Headers.TransferEncoding.Count > 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
}
