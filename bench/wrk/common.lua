-- Shared by the load scripts: auth header and a one-line summary for run.sh to collect.
local key = os.getenv("PIMENTO_KEY") or ""
wrk.headers["Authorization"] = "Bearer " .. key
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT rps=%.0f p50_ms=%.2f p90_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f requests=%d errors=%d non2xx=%d\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end

-- Numbers wrk's threads: each thread's own Lua state gets `thread_no` (1, 2, …).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end

-- Seeds the thread's random numbers and returns a prefix no other thread or run shares, for
-- unique SKUs, handles and URLs (call it from `init`).
function unique_prefix(letter)
  math.randomseed(os.time() * 1000 + thread_no)
  return string.format("%s%d-%d-%d", letter, os.time(), thread_no, math.random(1, 1e9))
end
