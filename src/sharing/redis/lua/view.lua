-- peek: a contact as the claim rule sees it (see contact-view.lua).
-- ARGV: fields, run prefix.
return contact_view(KEYS[1], ARGV[2])
