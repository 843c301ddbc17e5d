-- One wrk script for every HTTP scenario of bench/run.sh, so baseline and gateway pay the same client cost.
-- Usage: wrk ... -s scenario.lua URL -- echo|counter
-- At the end it prints one machine-readable line that run.sh parses:
--   BENCH requests=N duration_us=N p50_us=N p99_us=N s2xx=N s500=N other=N socket_errors=N

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1] or "echo"
  s2xx, s500, other = 0, 0, 0
  if mode == "echo" then
    -- 1 KB body, formatted once: the request bytes are the same every time.
    echo_request = wrk.format("POST", "/echo", { ["Content-Type"] = "application/octet-stream" }, string.rep("x", 1024))
  else
    -- 1,000 entity ids, each request formatted once; the id is drawn at random per request.
    counter_requests = {}
    for id = 1, 1000 do
      counter_requests[id] = wrk.format("POST", "/counter/" .. id .. "/increment", { ["Content-Length"] = "0" }, nil)
    end
    math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
  end
end

function request()
  if mode == "echo" then
    return echo_request
  end
  return counter_requests[math.random(1, 1000)]
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    s2xx = s2xx + 1
  elseif status == 500 then
    s500 = s500 + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local ok, failed, rest = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("s2xx")
    failed = failed + thread:get("s500")
    rest = rest + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d s2xx=%d s500=%d other=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    ok, failed, rest, e.connect + e.read + e.write + e.timeout))
end
