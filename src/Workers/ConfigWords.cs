using System.Text;
using ActorHost.Workers.Events;
using ActorHost.Workers.Options;

namespace ActorHost.Workers;

/// <summary>The lower-case words of configuration, logs and metric tags: <c>round-robin</c>, <c>restart</c>, <c>passivated</c>.</summary>
public static class ConfigWords
{
    /// <summary>resume | restart | stop | escalate.</summary>
    public static string Of(SupervisionDirective directive) => directive switch
    {
        SupervisionDirective.Resume => "resume",
        SupervisionDirective.Restart => "restart",
        SupervisionDirective.Stop => "stop",
        SupervisionDirective.Escalate => "escalate",
        _ => directive.ToString(),
    };

    /// <summary>stopped | passivated | shutdown.</summary>
    public static string Of(WorkerStopReason reason) => reason switch
    {
        WorkerStopReason.Stopped => "stopped",
        WorkerStopReason.Passivated => "passivated",
        WorkerStopReason.Shutdown => "shutdown",
        _ => reason.ToString(),
    };

    /// <summary>An enum member in configuration form: <c>RoundRobin</c> → <c>round-robin</c>.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="value">The member.</param>
    public static string ToWord<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        string name = value.ToString();
        var builder = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    /// <summary>Parses a configuration word back to the member (case-insensitive); numbers are not accepted.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <param name="word">E.g. <c>round-robin</c>.</param>
    /// <param name="value">The member, when the word names one.</param>
    public static bool TryParse<TEnum>(string word, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (TEnum candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(ToWord(candidate), word?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
