-- wrk script: sends requests at a fixed rate instead of as fast as the connections allow.
-- Each wrk thread keeps a schedule of send times BENCH_THREAD_RATE per second apart; when a
-- connection is free (its response came), delay() holds it until the next free slot of the
-- schedule.  Slots missed while wrk itself was not running (a busy machine) are made up, at
-- most CATCH_UP_MS of them, so the rate holds without long bursts; a server too slow for the
-- rate shows as a lower achieved rate.  Latency is wrk's own: from the moment a request is
-- written to its response (the wait for the slot is not in it, and neither is the time a
-- request waited for a free connection: keep enough connections that one is always free).
-- report.lua prints the figures.

local ffi = require("ffi")
ffi.cdef [[
   typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
   int clock_gettime(int clock, bench_timespec *ts);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")

local function now_ms()
   ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
   return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local CATCH_UP_MS = 10
local interval_ms
local next_slot

function init(args)
   local rate = tonumber(os.getenv("BENCH_THREAD_RATE") or "")
   if rate == nil or rate <= 0 then error("BENCH_THREAD_RATE (requests per second per thread) is not set") end
   interval_ms = 1000 / rate
end

function delay()
   local now = now_ms()
   if next_slot == nil then next_slot = now end
   if next_slot < now - CATCH_UP_MS then next_slot = now - CATCH_UP_MS end
   local wait = math.max(0, next_slot - now)
   next_slot = next_slot + interval_ms
   return math.floor(wait + 0.5)
end

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "../auth/report.lua")
