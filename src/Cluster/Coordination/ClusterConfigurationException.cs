namespace ActorHost.Cluster.Coordination;

/// <summary>
/// The cluster's database disagrees with this node's configuration in a way retrying cannot fix (e.g. a
/// different <c>number-of-shards</c>); <see cref="ClusterNode.StartAsync(System.Threading.CancellationToken)"/> fails with it instead of retrying.
/// </summary>
public sealed class ClusterConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterConfigurationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What disagrees and what to do.</param>
    public ClusterConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What disagrees and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public ClusterConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
