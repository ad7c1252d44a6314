-- write: an outcome, as field/value pairs (ARGV[4] on); a final answer also gets the next number
-- of the answer sequence (KEYS[2]). An outcome that ends a try (final, unanswered) is published
-- on the channel: rows of other runs waiting for it wake at once instead of at their next look.
-- ARGV: fields, mode (started, held, unanswered, final), channel, field/value pairs...
redis.call('HINCRBY', KEYS[1], F.version, 1)
if ARGV[2] == 'final' then redis.call('HSET', KEYS[1], F.seq, redis.call('INCR', KEYS[2])) end
local n = redis.call('HSET', KEYS[1], unpack(ARGV, 4))
if ARGV[2] == 'final' or ARGV[2] == 'unanswered' then redis.call('PUBLISH', ARGV[3], KEYS[1]) end
return n
