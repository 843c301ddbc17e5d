namespace ActorHost.Gateway.Cli;

/// <summary>
/// The one line that says why the gateway could not start (an address in use, an https listener without a
/// usable certificate, …): an operator needs the reason, not a stack trace.
/// </summary>
internal static class StartFailure
{
    /// <summary>
    /// The exception's message, followed by its inner exception's when that adds something (a wrapper such as
    /// Kestrel's "Unable to configure HTTPS endpoint" often says what failed and the inner one why), on one line.
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string text = exception.Message.Trim();
        if (exception.InnerException is { } inner && inner.Message.Trim() is { Length: > 0 } innerText
            && !text.Contains(innerText, StringComparison.OrdinalIgnoreCase))
        {
            text = text.Length == 0 ? innerText : $"{text.TrimEnd('.')}: {innerText}";
        }

        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
