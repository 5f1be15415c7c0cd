"""Plain functions that build domain objects for tests, with sensible defaults."""

from deliberation.models import Context, Conversation, Participant, Statement, statement_key


def make_context(
    *, slug="library-assistant", title="Library patrons' assistant", **fields
) -> Context:
    return Context.objects.create(slug=slug, title=title, **fields)


def make_conversation(context: Context, **fields) -> Conversation:
    fields.setdefault("topic", "How should the assistant behave?")
    fields.setdefault("state", Conversation.State.OPEN)
    return Conversation.objects.create(context=context, **fields)


def make_statement(conversation: Conversation, text: str, **fields) -> Statement:
    fields.setdefault("state", Statement.State.ACCEPTED)
    return Statement.objects.create(
        conversation=conversation,
        text=text,
        normalised_text=statement_key(text),
        **fields,
    )


def make_participant(conversation: Conversation, **fields) -> Participant:
    fields.setdefault("kind", Participant.Kind.ANONYMOUS)
    return Participant.objects.create(conversation=conversation, **fields)
