using System.Text.Json;

namespace ActorHost.Workers;

/// <summary>Serializer options shared by everything the runtime writes as JSON.</summary>
internal static class JsonDefaults
{
    /// <summary>camelCase, web defaults.</summary>
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
