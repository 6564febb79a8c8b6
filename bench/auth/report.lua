-- wrk script: at the end of a run, prints name=value lines that bench/auth/run reads:
-- requests, req/s, p50/p99 latency, socket errors and responses other than 200.
-- A script that counts statuses itself (login.lua) keeps per-thread globals `non200`
-- and `statuses`; without them the count is wrk's own (non-2xx/3xx responses).

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local errors = summary.errors
   local non200, counted, statuses = 0, false, {}
   for _, thread in ipairs(threads) do
      local n = thread:get("non200")
      if n ~= nil then
         counted = true
         non200 = non200 + n
         for status, count in pairs(thread:get("statuses") or {}) do
            statuses[status] = (statuses[status] or 0) + count
         end
      end
   end
   if not counted then non200 = errors.status end
   io.write(string.format("wrk_requests=%d\n", summary.requests))
   io.write(string.format("wrk_seconds=%.3f\n", seconds))
   io.write(string.format("wrk_requests_per_second=%.2f\n", summary.requests / seconds))
   io.write(string.format("wrk_latency_p50_ms=%.2f\n", latency:percentile(50) / 1000))
   io.write(string.format("wrk_latency_p99_ms=%.2f\n", latency:percentile(99) / 1000))
   io.write(string.format("wrk_socket_errors=%d\n",
      errors.connect + errors.read + errors.write + errors.timeout))
   io.write(string.format("wrk_non200=%d\n", non200))
   for status, count in pairs(statuses) do
      io.write(string.format("wrk_status_%s=%d\n", status, count))
   end
end
