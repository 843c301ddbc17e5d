using System.Collections.Concurrent;

// The same work as the sample workers (src/Workers), done directly in Kestrel endpoints: this is what the
// gateway's isolation and supervision cost is measured against. Logging sits at Warning, like the gateway's
// benchmark run, so neither side pays for per-request log lines the other skips.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

// The usual exception handler: a throwing endpoint becomes a 500 problem response, as in the gateway.
app.UseExceptionHandler(errors => errors.Run(context =>
{
    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
    context.Response.ContentType = "application/problem+json";
    return context.Response.WriteAsync("""{"title":"handler_failed","status":500}""");
}));

var counters = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);

// POST /echo: the body and its content type back, with Content-Length (like the echo worker).
app.MapPost("/echo", async (HttpContext context) =>
{
    var request = context.Request;
    var length = (int)(request.ContentLength ?? 0);
    var body = new byte[length];
    await request.Body.ReadExactlyAsync(body, context.RequestAborted);
    context.Response.ContentType = request.ContentType ?? "application/octet-stream";
    context.Response.ContentLength = length;
    await context.Response.Body.WriteAsync(body, context.RequestAborted);
});

// GET|POST /counter/{id}/{action}: a count per id in a ConcurrentDictionary (the counter worker's state, shared).
app.MapMethods("/counter/{id}/{**action}", ["GET", "POST"], (HttpContext context, string id, string? action) =>
{
    if (action is "fail")
    {
        throw new InvalidOperationException("injected fault");
    }

    long count = action switch
    {
        "increment" when HttpMethods.IsPost(context.Request.Method) => counters.AddOrUpdate(id, 1, static (_, c) => c + 1),
        null or "" => counters.GetValueOrDefault(id),
        _ => -1,
    };
    return count < 0
        ? Results.NotFound()
        : Results.Json(new CounterReply(id, count, 1), BaselineJson.Default.CounterReply);
});

app.Run();

/// <summary>The counter worker's reply shape.</summary>
internal sealed record CounterReply(string Id, long Count, int Incarnation);

/// <summary>Source-generated JSON for the slim builder (no reflection serialization).</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(CounterReply))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class BaselineJson : System.Text.Json.Serialization.JsonSerializerContext;
