namespace ActorHost.Benchmarks.Hocon;

/// <summary>
/// A 200-line ActorHost-like configuration (routes built from defaults by substitution + merge, supervision
/// strategies, self-references, += , durations, sizes, comments; no includes): the size issue 7 compares
/// with Akka.NET's 371 µs.
/// </summary>
internal static class SampleConfig200
{
    public const string Text = """"
        # ActorHost gateway configuration (benchmark input: 200 lines, no includes).

        actorhost {
          environment = staging
          region = eu-west-1
          instance-name = ${actorhost.environment}-${actorhost.region}-gw-02

          defaults {
            timeout = 20s
            stuck-after = 4s
            tags = [actorhost, ${actorhost.environment}, ${actorhost.region}]
            retry-after = 3 seconds
          }

          gateway {
            urls = ["http://0.0.0.0:8080", "https://0.0.0.0:8443"]
            max-request-body-size = 4 MiB
            retry-after = ${actorhost.defaults.retry-after}
            headers {
              server = "ActorHost/1.2"
              via = ${actorhost.gateway.headers.server}" ("${actorhost.instance-name}")"
            }
            limits {
              max-concurrent-connections = 20000
              keep-alive-timeout = 120s
              request-headers-timeout = 15s
              http2.max-streams-per-connection = 200
            }
          }

          # ---- Routes ------------------------------------------------------------------------------
          route-defaults {
            methods = [GET, POST]
            mode = pool
            instances = 4
            supervision = default
            timeout = ${actorhost.defaults.timeout}
            stuck-after = ${actorhost.defaults.stuck-after}
            passivate-after = 2m
          }

          routes {
            echo = ${actorhost.route-defaults} {
              path = "/echo/{**rest}"
              worker = echo
              instances = 8
              tags = ${actorhost.defaults.tags} [echo]
            }
            counter = ${actorhost.route-defaults} {
              path = "/counter/{id}/increment"
              worker = counter
              mode = entity
              entity-key = id
              supervision = strict
              tags = ${actorhost.defaults.tags} [counter, stateful]
            }
            orders = ${actorhost.route-defaults} {
              path = "/orders/{id}"
              methods = [GET, POST, PUT, DELETE]
              worker = orders
              mode = entity
              entity-key = id
              timeout = 30s
              supervision = backoff
              tags = ${actorhost.defaults.tags} [orders]
            }
            search = ${actorhost.route-defaults} {
              path = "/search"
              methods = [GET]
              worker = search
              instances = 16
              router = consistent-hash
              hash-key = q
              tags = ${actorhost.defaults.tags} [search, read-only]
            }
            upload = ${actorhost.route-defaults} {
              path = "/upload/{name}"
              methods = [PUT]
              worker = upload
              timeout = 2 minutes
              max-body = 256 MiB
              supervision = stop-on-failure
            }
            stream = ${actorhost.route-defaults} {
              path = "/stream"
              methods = [GET]
              worker = stream
              mode = entity
              entity-key = channel
            }
            reports.path = "/reports/{kind}"
            reports.worker = reports
            reports.timeout = ${actorhost.defaults.timeout}
            reports.tags = ${actorhost.defaults.tags} ["reports"]
          }

          # ---- Supervision -------------------------------------------------------------------------
          supervision {
            strategy-defaults {
              type = one-for-one
              max-nr-of-retries = 10
              within-time-range = 1 minute
              decider = [{ exception = "*", directive = restart }]
            }
            strategies {
              default = ${actorhost.supervision.strategy-defaults}
              strict = ${actorhost.supervision.strategy-defaults} {
                max-nr-of-retries = 3
                decider = [
                  { exception = "System.TimeoutException", directive = restart }
                  { exception = "System.InvalidOperationException", directive = resume }
                  { exception = "System.ArgumentException", directive = stop }
                  { exception = "*", directive = escalate }
                ]
              }
              backoff = ${actorhost.supervision.strategy-defaults} {
                type = backoff
                min-backoff = 200ms
                max-backoff = 30s
                random-factor = 0.2
              }
              stop-on-failure {
                type = all-for-one
                decider = [{ exception = "*", directive = stop }]
              }
            }
            route-supervisors = escalate
          }

          actors {
            throughput = 50
            mailbox { type = bounded, capacity = 2000, overflow = reject, push-timeout = 25ms }
            dispatcher {
              parallelism-min = 2
              parallelism-factor = 1.5
              parallelism-max = 32
            }
          }

          logging {
            level = Information
            format = json
            categories {
              "ActorHost.Requests" = Information
              "Microsoft.AspNetCore" = Warning
            }
          }

          telemetry {
            service-name = actorhost-${actorhost.environment}
            otlp.endpoint = "http://collector.monitoring:4317"
            otlp.headers = ["x-env="${actorhost.environment}, "x-region="${actorhost.region}]
            latency-buckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]
          }

          faults {
            enabled = off
            rules = [
              { route = orders, point = before-handle, every = 10, exception = "System.InvalidOperationException" }
            ]
            rules += { route = search, point = hang, probability = 0.01 }
          }

          shutdown {
            grace = 30s
            phases = [drain, stop-accepting, wait-in-flight, cancel]
            phases = ${actorhost.shutdown.phases} [cut-off]
          }

          cluster {
            enabled = on
            node-name = ${actorhost.instance-name}
            seed-nodes = ["gw-01:2552", "gw-02:2552", "gw-03:2552"]
            shards = 100
            heartbeat-interval = 1s
            failure-timeout = ${actorhost.cluster.heartbeat-interval}
            failure-timeout = 10s
            passivation = ${actorhost.route-defaults.passivate-after}
          }
        }

        # Application settings outside ActorHost's tree.
        app {
          name = orders-service
          version = "3.0.0"
          database {
            host = db.internal
            port = 5432
            name = orders
            pool { min = 5, max = 40, idle-timeout = 10 minutes }
            url = "postgres://"${app.database.host}":"${app.database.port}"/"${app.database.name}
          }
          caches {
            products { size = 64 MiB, ttl = 5m }
            default = ${app.caches.products} { ttl = 1m }
          }
          path = [/usr/local/bin, /usr/bin]
          path = ${app.path} [/opt/orders/bin]
          owner = ${?APP_OWNER}
        }
        """";
}
