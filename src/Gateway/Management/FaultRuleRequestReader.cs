using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ActorHost.Gateway.Management;

/// <summary>
/// Reads the body of <c>POST /faults</c> into a <see cref="FaultRuleRequest"/>, refusing what the serializer's
/// defaults would let through: a field the rule does not have (a typo, or a HOCON key name such as
/// <c>after-bytes</c>) would be ignored and install a different rule than the one asked for — without its trigger
/// it fails every call — and a null where the rule needs a value surfaced as an unrelated argument error.
/// </summary>
internal static class FaultRuleRequestReader
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Every field, by its JSON name, with what its value must be and whether null (= absent) is allowed.</summary>
    private static readonly Dictionary<string, (string Expected, bool Nullable)> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["route"] = ("a string (route-name glob)", false),
        ["worker"] = ("a string (worker glob)", false),
        ["point"] = ("a string (constructor, before-handle, after-bytes, on-write or hang)", false),
        ["nth"] = ("a whole number", false),
        ["every"] = ("a whole number", false),
        ["probability"] = ("a number between 0 and 1, or null", true),
        ["afterBytes"] = ("a whole number", false),
        ["exception"] = ("a string (the exception type's full name)", false),
        ["message"] = ("a string", false),
        ["exitCode"] = ("a whole number (0-255)", false),
        ["hangLimitMs"] = ("a whole number of milliseconds, or null", true),
    };

    /// <summary>The HOCON spellings of fields whose JSON name differs, so the refusal can say what to write instead.</summary>
    private static readonly Dictionary<string, string> HoconNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["after-bytes"] = "afterBytes",
        ["exit-code"] = "exitCode",
        ["hang-limit"] = "hangLimitMs (a number of milliseconds)",
    };

    /// <summary>Reads and checks the body: the request, or (when the body is refused) the 400 or 415 answer to give.</summary>
    /// <param name="request">The HTTP request.</param>
    /// <param name="cancellationToken">The request's abort token.</param>
    public static async Task<(FaultRuleRequest? Body, IResult? Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Invalid fault rule.",
                detail: "The body must be JSON (Content-Type: application/json)."));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            return (null, Invalid($"The body is not valid JSON: {e.Message}"));
        }

        using (document)
        {
            return TryRead(document.RootElement, out FaultRuleRequest? body, out string? error)
                ? (body, null)
                : (null, Invalid(error));
        }
    }

    private static bool TryRead(JsonElement root, [NotNullWhen(true)] out FaultRuleRequest? body, [NotNullWhen(false)] out string? error)
    {
        body = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "The body must be a JSON object with the rule's fields.";
            return false;
        }

        foreach (JsonProperty field in root.EnumerateObject())
        {
            if (!Fields.TryGetValue(field.Name, out (string Expected, bool Nullable) known))
            {
                error = HoconNames.TryGetValue(field.Name, out string? jsonName)
                    ? $"unknown field \"{field.Name}\": that is the HOCON key; in JSON it is {jsonName}"
                    : $"unknown field \"{field.Name}\"; the fields are {string.Join(", ", Fields.Keys)}";
                return false;
            }

            if (field.Value.ValueKind == JsonValueKind.Null && !known.Nullable)
            {
                error = $"{field.Name}: must be {known.Expected}, not null (leave it out for the default)";
                return false;
            }
        }

        try
        {
            body = root.Deserialize<FaultRuleRequest>(Options);
        }
        catch (JsonException e)
        {
            // The path names the field ("$.nth"); the table says what it should have been.
            string name = e.Path is { Length: > 2 } path ? path[2..] : "body";
            error = Fields.TryGetValue(name, out (string Expected, bool Nullable) known)
                ? $"{name}: must be {known.Expected}"
                : $"{name}: {e.Message}";
            return false;
        }

        if (body is null)
        {
            error = "The body must be a JSON object with the rule's fields.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The 400 answer for a fault rule that cannot be installed, with <paramref name="detail"/> saying why.</summary>
    public static IResult Invalid(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid fault rule.", detail: detail);
}
