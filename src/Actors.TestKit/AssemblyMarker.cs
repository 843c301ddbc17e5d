namespace ActorHost.Actors.TestKit;

/// <summary>Placeholder so the project builds until its issue lands.</summary>
internal static class AssemblyMarker
{
}
