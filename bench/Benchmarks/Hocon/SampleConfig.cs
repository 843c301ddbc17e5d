namespace ActorHost.Benchmarks.Hocon;

/// <summary>A realistic application configuration of about 300 lines (nested objects, substitutions, arrays, durations, comments).</summary>
internal static class SampleConfig
{
    public const string Text = """"
        # Benchmark configuration: a realistic ActorHost application file of about 300 lines.
        # It mixes nested objects, substitutions, self-references, arrays, durations, sizes and comments.

        actorhost {
          environment = production
          instance-name = ${actorhost.environment}-gateway-01

          defaults {
            tags = [actorhost, ${actorhost.environment}]
            timeout = 30s
            stuck-after = 5s
            retry-after = 5 seconds
          }

          # ---- HTTP gateway ----------------------------------------------------------------------------------
          gateway {
            urls = ["http://0.0.0.0:8080", "http://[::]:8080"]
            max-request-body-size = 1 MiB
            retry-after = ${actorhost.defaults.retry-after}
            development = off
            headers {
              server = "ActorHost/1.0"
              powered-by = ${actorhost.gateway.headers.server}" (gateway)"
            }
            limits {
              max-concurrent-connections = 10000
              max-concurrent-upgraded-connections = 1000
              keep-alive-timeout = 130s
              request-headers-timeout = 30s
              min-request-body-data-rate = 240 bytes
              http2 {
                max-streams-per-connection = 100
                header-table-size = 4 KiB
                max-frame-size = 16 KiB
                initial-connection-window-size = 128 KiB
              }
            }
          }

          management {
            urls = ["http://127.0.0.1:8558"]
            token = ${?ACTORHOST_MANAGEMENT_TOKEN}
            dashboard {
              enabled = on
              refresh = 1s
              history = 15 minutes
            }
          }

          logging {
            format = json
            level = Information
            categories {
              "ActorHost.Requests" = Information
              "ActorHost.Actors" = Warning
              "Microsoft.AspNetCore" = Warning
              "System.Net.Http" = Error
            }
          }

          telemetry {
            otlp {
              enabled = on
              endpoint = "http://otel-collector:4317"
              protocol = grpc
              headers = ["x-team=platform", "x-env="${actorhost.environment}]
              export-interval = 10s
              timeout = 5000ms
            }
            metrics {
              histogram-buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
            }
          }

          actors {
            throughput = 30
            mailbox {
              type = bounded
              capacity = 1000
              overflow = reject
              push-timeout = 10ms
            }
            dispatcher {
              type = default
              parallelism-min = 2
              parallelism-factor = 2.0
              parallelism-max = 64
            }
          }

          # ---- Routes --------------------------------------------------------------------------------------
          routes {
            echo {
              # Route 0: echo
              path = "/echo/{id}/{**rest}"
              methods = [GET, POST]
              worker = echo
              mode = entity
              instances = 4
              timeout = 10s
              supervision = default
              tags = ${actorhost.defaults.tags} [echo]
            }
            counter {
              # Route 1: counter
              path = "/counter/{id}/{**rest}"
              methods = [GET, POST, PUT]
              worker = counter
              mode = pool
              instances = 8
              timeout = 11s
              supervision = strict
              tags = ${actorhost.defaults.tags} [counter]
            }
            slow {
              # Route 2: slow
              path = "/slow/{id}/{**rest}"
              methods = [GET, POST]
              worker = slow
              mode = pool
              instances = 12
              timeout = 12s
              supervision = default
              tags = ${actorhost.defaults.tags} [slow]
            }
            stream {
              # Route 3: stream
              path = "/stream/{id}/{**rest}"
              methods = [GET, POST, PUT]
              worker = stream
              mode = entity
              instances = 16
              timeout = 13s
              supervision = strict
              tags = ${actorhost.defaults.tags} [stream]
            }
            partial {
              # Route 4: partial
              path = "/partial/{id}/{**rest}"
              methods = [GET, POST]
              worker = partial
              mode = pool
              instances = 20
              timeout = 14s
              supervision = default
              tags = ${actorhost.defaults.tags} [partial]
            }
            orders {
              # Route 5: orders
              path = "/orders/{id}/{**rest}"
              methods = [GET, POST, PUT]
              worker = orders
              mode = pool
              instances = 24
              timeout = 15s
              supervision = strict
              tags = ${actorhost.defaults.tags} [orders]
            }
            users {
              # Route 6: users
              path = "/users/{id}/{**rest}"
              methods = [GET, POST]
              worker = users
              mode = entity
              instances = 28
              timeout = 16s
              supervision = default
              tags = ${actorhost.defaults.tags} [users]
            }
            search {
              # Route 7: search
              path = "/search/{id}/{**rest}"
              methods = [GET, POST, PUT]
              worker = search
              mode = pool
              instances = 32
              timeout = 17s
              supervision = strict
              tags = ${actorhost.defaults.tags} [search]
            }
            upload {
              # Route 8: upload
              path = "/upload/{id}/{**rest}"
              methods = [GET, POST]
              worker = upload
              mode = pool
              instances = 36
              timeout = 18s
              supervision = default
              tags = ${actorhost.defaults.tags} [upload]
            }
            report {
              # Route 9: report
              path = "/report/{id}/{**rest}"
              methods = [GET, POST, PUT]
              worker = report
              mode = entity
              instances = 40
              timeout = 19s
              supervision = strict
              tags = ${actorhost.defaults.tags} [report]
            }
            billing {
              # Route 10: billing
              path = "/billing/{id}/{**rest}"
              methods = [GET, POST]
              worker = billing
              mode = pool
              instances = 44
              timeout = 20s
              supervision = default
              tags = ${actorhost.defaults.tags} [billing]
            }
            audit {
              # Route 11: audit
              path = "/audit/{id}/{**rest}"
              methods = [GET, POST, PUT]
              worker = audit
              mode = pool
              instances = 48
              timeout = 21s
              supervision = strict
              tags = ${actorhost.defaults.tags} [audit]
            }
          }

          route-defaults {
            path = ""
            methods = [GET, POST, PUT, DELETE, PATCH]
            worker = ""
            mode = pool
            entity-key = id
            passivate-after = 2m
            instances = 4
            router = round-robin
            hash-key = id
            supervision = default
            timeout = ${actorhost.defaults.timeout}
            stuck-after = ${actorhost.defaults.stuck-after}
            handler-mode = detached
          }

          # ---- Supervision ---------------------------------------------------------------------------------
          supervision {
            route-supervisors = escalate
            strategies {
              default {
                decider = [{ exception = "*", directive = restart }]
              }
              strict = ${actorhost.supervision.strategy-defaults} {
                max-nr-of-retries = 3
                within-time-range = 1 minute
                decider = [
                  { exception = "System.TimeoutException", directive = restart }
                  { exception = "System.InvalidOperationException", directive = resume }
                  { exception = "System.ArgumentException", directive = stop }
                  { exception = "*", directive = escalate }
                ]
              }
              escalate {
                decider = [{ exception = "*", directive = escalate }]
              }
            }
            strategy-defaults {
              type = one-for-one
              max-nr-of-retries = -1
              within-time-range = infinite
              decider = [{ exception = "*", directive = restart }]
            }
          }

          root {
            on-escalation = exit
            exit-code = 70
          }

          faults {
            enabled = off
            seed = 42
            rules = [
              { route = "orders", worker = "*", point = before-handle, every = 10, exception = "System.InvalidOperationException" }
              { route = "upload", worker = "*", point = after-bytes, after-bytes = 64 KiB, exception = "System.IO.IOException" }
            ]
            rules += { route = "search", point = hang, probability = 0.01 }
          }

          shutdown {
            drain-delay = 5s
            grace = 30s
            mercy = 3s
            phases = [drain, stop-accepting, wait-in-flight, cancel, cut-off]
          }

          cluster {
            enabled = on
            node-name = ${actorhost.instance-name}
            seed-nodes = ["gateway-01:2552", "gateway-02:2552", "gateway-03:2552"]
            coordinator {
              connection-string = "Host=postgres;Database=actorhost;Username=actorhost"
              heartbeat-interval = 1s
              failure-timeout = 10s
              rebalance-interval = 30s
              max-shards = 1000
            }
            sharding {
              shards = 100
              entity-passivation = ${actorhost.route-defaults.passivate-after}
              remember-entities = off
              handoff-timeout = 60s
            }
          }
        }

        # Application settings outside ActorHost's own tree.
        app {
          name = "orders-service"
          version = "2.4.1"
          features {
            new-checkout = on
            legacy-export = off
            beta-users = [alice, bob, carol]
          }
          database {
            host = db.internal
            port = 5432
            name = orders
            pool { min = 5, max = 50, idle-timeout = 10 minutes }
            url = "postgres://"${app.database.host}":"${app.database.port}"/"${app.database.name}
          }
          caches {
            products { size = 64 MiB, ttl = 5m }
            sessions { size = 16 MiB, ttl = 30m }
            default = ${app.caches.products} { ttl = 1m }
          }
          path = [/usr/local/bin, /usr/bin]
          path = ${app.path} [/opt/orders/bin]
        }
        """";
}
