-- Redis's own clock in ms: heartbeats are aged on one clock, whatever the machines' clocks say.
local function redis_now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
