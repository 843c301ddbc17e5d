-- Creates entity workers for bench/memory/idle-entities.sh: POST /counter/<id>/increment for ids 1..N in order,
-- each id once (run with -t1; the thread stops itself after N answers). Prints one parseable line at the end:
--   MEMLOAD requests=N s2xx=N other=N socket_errors=N duration_us=N
-- Usage: wrk -t1 -cC -d600s -s create-entities.lua URL -- N

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  total = tonumber(args[1] or "100000")
  next_id = 0
  answered, s2xx, other = 0, 0, 0
end

function request()
  -- Ids past N wrap around to existing entities (only in-flight requests at the end can go past N).
  next_id = next_id % total + 1
  return wrk.format("POST", "/counter/" .. next_id .. "/increment", { ["Content-Length"] = "0" }, nil)
end

function response(status, headers, body)
  answered = answered + 1
  if status >= 200 and status < 300 then s2xx = s2xx + 1 else other = other + 1 end
  if answered >= total then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local ok, rest = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("s2xx")
    rest = rest + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format("MEMLOAD requests=%d s2xx=%d other=%d socket_errors=%d duration_us=%d\n",
    summary.requests, ok, rest, e.connect + e.read + e.write + e.timeout, summary.duration))
end
