-- claim, in one round trip, when the claim rule would ask without a doubt (see `decideClaim`):
-- nobody has the contact, its last try left no answer, or it is this run's own; marked started,
-- as claim.lua. Else nothing is written, and what is there comes back as view.lua reads it, for
-- the claim rule to decide on (then claim.lua, on its version). 1: claimed.
-- ARGV: fields, the run's id, run prefix.
local s = redis.call('HGET', KEYS[1], F.state)
if s and s ~= 'unanswered' and redis.call('HGET', KEYS[1], F.run) ~= ARGV[2] then
  return contact_view(KEYS[1], ARGV[3])
end
redis.call('HSET', KEYS[1], F.state, 'started', F.run, ARGV[2])
redis.call('HINCRBY', KEYS[1], F.version, 1)
return 1
