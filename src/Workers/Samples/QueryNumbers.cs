using System.Globalization;

namespace ActorHost.Workers.Samples;

/// <summary>Reads whole-number query parameters for the samples; bad input is a 400, never a failure.</summary>
internal static class QueryNumbers
{
    public static long? Optional(WorkerRequest request, string name, long min, long max)
    {
        string? text = request.QueryValue(name);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
        {
            throw new ClientInputException(400, $"Query parameter \"{name}\" must be a whole number from {min} to {max} (got \"{text}\").");
        }

        return value;
    }

    public static long Required(WorkerRequest request, string name, long min, long max) =>
        Optional(request, name, min, max) ?? throw new ClientInputException(400, $"Query parameter \"{name}\" is required.");
}
