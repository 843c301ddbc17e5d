using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;

namespace ActorHost.Workers.Runtime;

/// <summary>Writes an RFC 9457 <c>application/problem+json</c> rejection for bad client input.</summary>
internal static class ProblemResponse
{
    /// <summary>
    /// Answers with <paramref name="status"/> when nothing was sent yet; a response that already started is
    /// cut off instead (its status can no longer change, and a clean end would pass a half body as whole).
    /// </summary>
    public static async Task RejectAsync(RequestEnvelope envelope, int status, string detail)
    {
        ResponseChannel channel = envelope.Response;
        if (channel.HasStarted)
        {
            channel.Abort();
            return;
        }

        try
        {
            channel.StatusCode = status;
            channel.SetHeader("Content-Type", "application/problem+json; charset=utf-8");
            byte[] body = JsonSerializer.SerializeToUtf8Bytes(
                new Problem("about:blank", ReasonPhrases.GetReasonPhrase(status), status, detail, envelope.Request.RequestId),
                ProblemJsonContext.Default.Problem);
            await channel.WriteAsync(body, envelope.HandlerToken);
            await channel.CompleteAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // The gateway took the response over, or the peer left: nothing more to send.
        }
    }
}

/// <summary>The problem document.</summary>
internal sealed record Problem(string Type, string Title, int Status, string Detail, string RequestId);

/// <summary>Source-generated serializer for <see cref="Problem"/> (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Problem))]
internal sealed partial class ProblemJsonContext : JsonSerializerContext;
