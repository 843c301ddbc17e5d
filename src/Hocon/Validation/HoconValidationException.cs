namespace ActorHost.Hocon;

/// <summary>A configuration failed validation; the message lists every problem, one per line, each with file:line:column.</summary>
public sealed class HoconValidationException : HoconException
{
    /// <summary>Creates the exception.</summary>
    public HoconValidationException()
    {
        Problems = [];
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public HoconValidationException(string message)
        : base(message)
    {
        Problems = [];
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public HoconValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    /// <summary>Creates the exception from the problems found (at least one).</summary>
    /// <param name="problems">Every problem.</param>
    public HoconValidationException(IReadOnlyList<ValidationProblem> problems)
        : base(string.Join('\n', (problems ?? throw new ArgumentNullException(nameof(problems))).Select(p => p.ToString())))
    {
        Problems = problems;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }
}
