-- SPDX-License-Identifier: Apache-2.0
-- wrk script: POST /api/v1/cases with random points from GG_POINTS (a Lua file returning
-- {{lon, lat}, …}), the category GG_CATEGORY, as the operator holding GG_TOKEN.
local points = dofile(os.getenv("GG_POINTS"))
local category = os.getenv("GG_CATEGORY")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GG_TOKEN")

local n = 0
request = function()
  n = n + 1
  local p = points[(n * 7919) % #points + 1]
  local body = string.format(
    '{"category":"%s","description":"bench %d","lon":%.6f,"lat":%.6f,"channel":"operator"}',
    category, n, p[1], p[2])
  return wrk.format(nil, "/api/v1/cases", nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d seconds=%.3f non2xx=%d errors=%d p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
