namespace ActorHost.Workers.Configuration;

/// <summary>The worker configuration is invalid; <see cref="Problems"/> lists every problem found.</summary>
public sealed class WorkerConfigurationException : Exception
{
    /// <summary>Creates the exception with no problems listed.</summary>
    public WorkerConfigurationException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public WorkerConfigurationException(string message)
        : base(message)
    {
        Problems = [new ConfigProblem("actorhost", message)];
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public WorkerConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [new ConfigProblem("actorhost", message)];
    }

    /// <summary>Creates the exception listing <paramref name="problems"/>.</summary>
    /// <param name="problems">Every problem found.</param>
    public WorkerConfigurationException(IReadOnlyList<ConfigProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ConfigProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count == 0
            ? "The worker configuration is invalid."
            : $"The worker configuration has {problems.Count} problem(s):{Environment.NewLine}  "
              + string.Join(Environment.NewLine + "  ", problems);
    }
}
