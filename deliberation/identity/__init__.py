"""Who a participant request comes from, and how someone becomes a participant.

One place answers "who is this?" for every participant page, the way zulip's `access_*` helpers
answer "may this user see this?": `resolver.visitor_for` reads the signed participant cookie, an
invite link and an external id (signed or not) and says who acts; `acting` runs joining together
with the first vote or statement in one transaction, and switches a browser to another identity
only on an explicit, audited POST. The pieces:

- `cookie`: the signed cookie that remembers which participant a browser is, per conversation;
- `signed_xids`: the embedding site's signature of an external id, and our page pass (pure);
- `joining`: joining anonymously, by invite or by external id, with the per-network rate limit;
- `network`: the client address behind trusted proxies, and the network a limit counts per.

The participant read on every vote is plain SQL, `deliberation.readers.participant_in`.
"""
