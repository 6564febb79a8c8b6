-- wrk script: every request asks for a different random range of one file, `Range:
-- bytes=a-b`, 1-4 MiB long (BENCH_RANGE_MIN, BENCH_RANGE_MAX bytes), anywhere in a file of
-- BENCH_RANGE_FILE_BYTES bytes; the path is the URL's.  At the end it prints name=value lines
-- that bench/media/run reads: requests, seconds, bytes received (wrk's own count, headers
-- included), the bytes the requests asked for, latency, socket errors and responses >= 400.
--
-- The bodies are not handed to Lua (a response() function would make wrk copy every body into
-- a Lua string, and wrk would become the bottleneck), so a server that answers with the wrong
-- bytes shows in the totals instead: a 200 with the whole file, or a range longer than asked,
-- makes the bytes received exceed the bytes asked for plus the headers; a shorter body leaves
-- the connection waiting for bytes that never come (a timeout, a socket error).

local MIN = tonumber(os.getenv("BENCH_RANGE_MIN") or "") or 1048576
local MAX = tonumber(os.getenv("BENCH_RANGE_MAX") or "") or 4194304
local SIZE = tonumber(os.getenv("BENCH_RANGE_FILE_BYTES") or "")

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_number", #threads)
end

function init(args)
   if SIZE == nil or SIZE < MAX then error("BENCH_RANGE_FILE_BYTES (the file's size, at least BENCH_RANGE_MAX) is not set") end
   -- Each thread has its own Lua state and generator: seeded apart, so they ask for different ranges.
   math.randomseed(os.time() * 1000 + thread_number * 7919)
   for _ = 1, 10 do math.random() end
   requested = 0
   issued = 0
end

function request()
   local length = math.random(MIN, MAX)
   local first = math.random(0, SIZE - length)
   requested = requested + length
   issued = issued + 1
   return wrk.format("GET", nil, { Range = string.format("bytes=%d-%d", first, first + length - 1) })
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local errors = summary.errors
   local asked, issued_total = 0, 0
   for _, thread in ipairs(threads) do
      asked = asked + (thread:get("requested") or 0)
      issued_total = issued_total + (thread:get("issued") or 0)
   end
   io.write(string.format("wrk_requests=%d\n", summary.requests))
   io.write(string.format("wrk_seconds=%.3f\n", seconds))
   io.write(string.format("wrk_requests_per_second=%.2f\n", summary.requests / seconds))
   io.write(string.format("wrk_bytes=%.0f\n", summary.bytes))
   io.write(string.format("wrk_bytes_per_second=%.0f\n", summary.bytes / seconds))
   io.write(string.format("wrk_issued=%d\n", issued_total))
   io.write(string.format("wrk_requested_bytes=%.0f\n", asked))
   io.write(string.format("wrk_range_max=%d\n", MAX))
   io.write(string.format("wrk_latency_p50_ms=%.2f\n", latency:percentile(50) / 1000))
   io.write(string.format("wrk_latency_p99_ms=%.2f\n", latency:percentile(99) / 1000))
   io.write(string.format("wrk_socket_errors=%d\n",
      errors.connect + errors.read + errors.write + errors.timeout))
   io.write(string.format("wrk_non200=%d\n", errors.status))
end
