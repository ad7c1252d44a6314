-- claim: the contact becomes this run's if nobody wrote to it since it was read (its version),
-- marked started: the claim is made as the request leaves (see `Claims.claimNow`), so the claim
-- and "started" are one write, and one round trip. 1: claimed; 0: changed meanwhile.
-- ARGV: fields, the version read, the run's id.
local v = redis.call('HGET', KEYS[1], F.version)
if (v or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], F.state, 'started', F.run, ARGV[3])
redis.call('HINCRBY', KEYS[1], F.version, 1)
return 1
