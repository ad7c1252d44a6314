-- heartbeat: a run's host, pid and start (its machine's clock), and the time of the beat
-- (Redis's clock), kept for ARGV[2] ms. Kept well past the lease (its age, not its presence, says
-- whether the run is alive): a run on this machine keeps its claims while its process lives, so
-- its host and pid must still be there after a long pause.
-- ARGV: holder (host, pid, start: tab-separated), how long to keep it.
local now = redis_now()
redis.call('SET', KEYS[1], ARGV[1] .. '\t' .. now, 'PX', ARGV[2])
return now
