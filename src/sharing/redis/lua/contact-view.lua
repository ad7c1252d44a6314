-- A contact's hash (its fields and values, in pairs), its holder's heartbeat (false: none) and
-- Redis's clock, read at once. `run_prefix`: what a run's id follows in its heartbeat's key.
local function contact_view(key, run_prefix)
  local hash = redis.call('HGETALL', key)
  local run = redis.call('HGET', key, F.run)
  local holder = false
  if run and run ~= '' then holder = redis.call('GET', run_prefix .. run) end
  return { hash, holder, tostring(redis_now()) }
end
