using System.Runtime.CompilerServices;

// The dashboard's browser tests host the gateway in-process (GatewayApplication, internal) when they need
// to stand in for a service the executable cannot fake from outside, such as the cluster view without a
// PostgreSQL. They are the dashboard's own tests, like ActorHost.Gateway.Tests are the gateway's.
[assembly: InternalsVisibleTo("ActorHost.Dashboard.Tests")]
