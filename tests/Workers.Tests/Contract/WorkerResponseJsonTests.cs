using System.Text.Json;
using System.Text.Json.Serialization;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Contract;

/// <summary>The two ways a handler writes JSON give the same response: with reflection, or with source-generated metadata.</summary>
public partial class WorkerResponseJsonTests
{
    [Fact]
    public async Task Source_generated_json_writes_the_same_body_and_content_type_as_reflection()
    {
        var viaReflection = new MemorySink();
        using (RequestEnvelope envelope = Envelope(viaReflection))
        {
            await new WorkerResponse(envelope.Response).WriteJsonAsync(new Reply("k1", 42, IsFresh: true));
        }

        var viaMetadata = new MemorySink();
        using (RequestEnvelope envelope = Envelope(viaMetadata))
        {
            await new WorkerResponse(envelope.Response).WriteJsonAsync(new Reply("k1", 42, IsFresh: true), ReplyJson.Default.Reply);
        }

        Assert.Equal("{\"id\":\"k1\",\"count\":42,\"isFresh\":true}", viaMetadata.BodyText);
        Assert.Equal(viaReflection.BodyText, viaMetadata.BodyText);
        Assert.Equal("application/json; charset=utf-8", viaMetadata.Header("Content-Type"));
        Assert.Equal(viaReflection.Header("Content-Type"), viaMetadata.Header("Content-Type"));
    }

    [Fact]
    public async Task A_json_write_replaces_an_earlier_content_type_and_a_second_one_after_the_start_leaves_the_headers_alone()
    {
        var sink = new MemorySink();
        using RequestEnvelope envelope = Envelope(sink);
        var response = new WorkerResponse(envelope.Response) { ContentType = "text/plain" };

        await response.WriteJsonAsync(new Reply("a", 1, IsFresh: false), ReplyJson.Default.Reply);
        await response.WriteJsonAsync(new Reply("b", 2, IsFresh: false), ReplyJson.Default.Reply);

        Assert.Equal("application/json; charset=utf-8", sink.Header("Content-Type"));
        Assert.Equal("{\"id\":\"a\",\"count\":1,\"isFresh\":false}{\"id\":\"b\",\"count\":2,\"isFresh\":false}", sink.BodyText);
    }

    private static RequestEnvelope Envelope(MemorySink sink) =>
        new(new WorkerRequest { RequestId = "r1", Route = "test", Method = "GET", Path = "/" }, sink);

    public sealed record Reply(string Id, long Count, bool IsFresh);

    [JsonSerializable(typeof(Reply))]
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    internal sealed partial class ReplyJson : JsonSerializerContext;
}
