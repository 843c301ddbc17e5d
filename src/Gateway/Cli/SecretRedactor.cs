using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace ActorHost.Gateway.Cli;

/// <summary>
/// Hides secrets in configuration printed as JSON (<c>actorhost config</c>, <c>actorhost hocon</c>): that output
/// ends up in terminals, tickets and CI logs. A secret is the value of any key whose name contains
/// <c>password</c>, <c>secret</c>, <c>token</c> or <c>pwd</c> (the management token, the cluster secret,
/// Kestrel's certificate passwords, ...), whatever its kind, and the password inside a connection string.
/// </summary>
internal static class SecretRedactor
{
    /// <summary>What a secret is printed as.</summary>
    public const string Redacted = "<redacted>";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] SecretWords = ["password", "secret", "token", "pwd"];

    /// <summary>The JSON text with every secret replaced by <see cref="Redacted"/>, indented.</summary>
    /// <param name="json">A JSON document.</param>
    public static string Redact(string json)
    {
        JsonNode? root = JsonNode.Parse(json);
        if (root is null)
        {
            return json;
        }

        RedactTree(root, connectionStrings: false);
        return root.ToJsonString(Indented);
    }

    private static void RedactTree(JsonNode node, bool connectionStrings)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach ((string key, JsonNode? value) in obj.ToList())
                {
                    if (value is null)
                    {
                        continue;
                    }

                    if (IsSecretKey(key))
                    {
                        // An empty secret stays empty, so the output still shows it is unset.
                        if (!(value is JsonValue text && text.TryGetValue(out string? s) && s.Length == 0))
                        {
                            obj[key] = Redacted;
                        }
                    }
                    else if ((connectionStrings || IsConnectionStringKey(key)) && value is JsonValue v && v.TryGetValue(out string? connection))
                    {
                        obj[key] = RedactConnectionString(connection);
                    }
                    else
                    {
                        // ASP.NET's ConnectionStrings { name = "..." } holds connection strings under any name.
                        RedactTree(value, connectionStrings || IsConnectionStringKey(key));
                    }
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    if (item is not null)
                    {
                        RedactTree(item, connectionStrings);
                    }
                }

                break;
        }
    }

    private static bool IsSecretKey(string key) =>
        SecretWords.Any(word => key.Contains(word, StringComparison.OrdinalIgnoreCase));

    private static bool IsConnectionStringKey(string key) =>
        key.Replace("-", "", StringComparison.Ordinal).Contains("connectionstring", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The connection string with its password replaced. Npgsql parses it (quoted values may hold ';', so a
    /// password is removed whole, whatever its keyword: Password, PWD); one it cannot parse is hidden entirely.
    /// </summary>
    private static string RedactConnectionString(string connection)
    {
        if (connection.Length == 0)
        {
            return connection;
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connection);
            if (builder.Password is not null)
            {
                builder.Password = Redacted;
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return Redacted;
        }
    }
}
