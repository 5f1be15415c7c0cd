"""Polis export folders (the openData layout): reading, importing, exporting.

`files` reads and checks a folder with pandas and pyarrow (`columns` checks whole columns) and
needs no Django, so `analyse_export` starts without the ORM; `importing` turns a checked export
into one new conversation and `exporting` a conversation back into an export folder. Import the
module you need: this package imports none of them, so reading never loads the database layer.

Decisions an import takes, so that no vote is ever lost and the result is reproducible:
- All or nothing: every file is read and checked before the first write, and the writes are one
  transaction.
- The imported conversation is closed (the deliberation happened elsewhere; a facilitator may open
  it) and permissive, as Polis shows unmoderated comments unless told otherwise, which its export
  does not record. Participants have the kind "imported" and keep their Polis voter id in
  `external_id`; statements keep their Polis comment id in `external_id`. Polis `xid`s are not
  imported: they are another site's account ids, which Polity has no use for.
- Statement text is stored as Polity stores every statement: NFC, one paragraph (line breaks and
  runs of spaces become one space). Characters Polity refuses in new statements (control and
  text-direction characters, U+FFFD) are dropped and a text beyond 400 characters is cut with "…";
  each such change is reported. An empty comment stays empty rather than gaining invented text.
- Duplicates: Polis accepted the same text twice, our database refuses two statements with the same
  folded text. The first non-rejected one (else the first) by comment id keeps the plain folded
  key; the others get "<key> #polis-<comment id>", which `normalise_for_comparison` can never
  produce (it removes "#"), so the text itself stays exactly as written and nothing collides.
- Votes: every row of votes.csv becomes a `VoteEvent`, in time order (ties in file order), and the
  latest per (participant, statement) the current `Vote`, with Polis' timestamps. Without
  votes.csv, each cell of the participants-votes matrix is one vote, timed at the import as the
  matrix carries no times. A vote on a comment missing from comments.csv keeps a pending statement
  with no text, as the analysis reader does.

An export writes summary.csv, comments.csv (the newer layout), votes.csv, participants-votes.csv
and comment-groups.csv. Participants are numbered 0..n-1 in the order they joined: no database
id, external id or anything else that identifies a person leaves Polity. Group figures come from
the latest analysis snapshot and are blank when there is none.
"""
