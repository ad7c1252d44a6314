-- The field names of a contact's hash, by what each holds (ARGV[1]: `FIELDS` in scripts.ts, as
-- JSON). Every script that reads or writes a contact's hash names its fields through F.
local F = cjson.decode(ARGV[1])
