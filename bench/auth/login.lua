-- wrk script: POST /api/auth/login with the bench user's JSON credentials
-- (BENCH_USERNAME, BENCH_PASSWORD from the environment), counting every
-- response other than 200 by status; report.lua prints the figures.

local function json_string(s)
   return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

local username = os.getenv("BENCH_USERNAME") or error("BENCH_USERNAME is not set")
local password = os.getenv("BENCH_PASSWORD") or error("BENCH_PASSWORD is not set")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":' .. json_string(username) .. ',"password":' .. json_string(password) .. '}'

non200 = 0
statuses = {}

function response(status, headers, body)
   if status ~= 200 then
      non200 = non200 + 1
      statuses[status] = (statuses[status] or 0) + 1
   end
end

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
