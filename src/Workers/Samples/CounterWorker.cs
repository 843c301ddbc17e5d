using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorHost.Workers.Samples;

/// <summary>
/// <c>/counter/{id}/{**action}</c>, one entity per id, state in a field: <c>POST …/increment</c> adds one,
/// <c>GET …</c> reads; both answer <c>{"id":…,"count":n,"incarnation":k}</c>. <c>POST …/fail</c> throws
/// <see cref="InvalidOperationException"/> (a worker failure for supervision to handle); an unknown action
/// is 404 and a wrong method 405 (client errors, never failures).
/// </summary>
public sealed class CounterWorker(SampleWorkerOptions options) : SampleWorker(options)
{
    private long _count;

    /// <inheritdoc />
    public override async Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        string action = (request.RouteValue("action") ?? string.Empty).Trim('/');
        switch (action)
        {
            case "":
                RequireMethod(request, "GET");
                break;
            case "increment":
                RequireMethod(request, "POST");
                _count++;
                break;
            case "fail":
                RequireMethod(request, "POST");
                throw new InvalidOperationException($"Counter {Context.EntityKey} was asked to fail (incarnation {Context.Incarnation}, count {_count}).");
            default:
                throw new ClientInputException(404, $"Unknown counter action \"{action}\"; use GET /counter/{{id}}, POST /counter/{{id}}/increment or POST /counter/{{id}}/fail.");
        }

        await response.WriteJsonAsync(new CounterState(Context.EntityKey ?? string.Empty, _count, Context.Incarnation), SampleJson.Default.CounterState, cancellationToken);
    }

    private static void RequireMethod(WorkerRequest request, string method)
    {
        if (!string.Equals(request.Method, method, StringComparison.OrdinalIgnoreCase))
        {
            throw new ClientInputException(405, $"{request.Method} is not allowed here; use {method}.");
        }
    }

    /// <summary>The counter's answer.</summary>
    /// <param name="Id">The entity key.</param>
    /// <param name="Count">The count.</param>
    /// <param name="Incarnation">The worker incarnation that answered.</param>
    public sealed record CounterState(string Id, long Count, int Incarnation);
}

/// <summary>Source-generated JSON metadata of the samples' replies (web defaults: camelCase).</summary>
[JsonSerializable(typeof(CounterWorker.CounterState))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class SampleJson : JsonSerializerContext;
