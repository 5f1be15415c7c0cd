"""Pages for facilitators: contexts, conversations, seeding, moderation, participants.

Every view finds its objects through `deliberation.access`, so objects of a context the user
does not facilitate answer 404, as if they did not exist. Views parse forms and call one
service each; the services decide what is allowed.
"""
