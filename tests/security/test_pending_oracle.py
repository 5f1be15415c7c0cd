"""Finding 9 of issue 16: a duplicate answer is no free oracle for texts waiting for review.

Every submission counts toward the statement rate limit, duplicates included, and a duplicate of
a pending statement is answered as one of a public statement is: the same status and message,
without the pending text.
"""

import re
from http import HTTPStatus

from django.test import Client, override_settings
from django.urls import reverse

from deliberation.models import Statement
from tests.factories import make_statement

ERROR = re.compile(r'class="message message-error" role="alert">([^<]*)<')


def _write(browser, conversation, text):
    return browser.post(reverse("frontend:write", args=[conversation.public_id]), {"text": text})


@override_settings(POLITY_RATE_LIMITS={"vote": (100, 60), "statement": (3, 600), "join": (30, 600)})
def test_pending_oracle_duplicates_count_toward_the_statement_limit(conversation):
    make_statement(conversation, "A secret waiting text.", state=Statement.State.PENDING)
    browser = Client()
    _write(browser, conversation, "My own first statement.")  # joins; counts once
    statuses = [
        _write(browser, conversation, "A secret waiting text").status_code for _ in range(3)
    ]
    assert statuses == [HTTPStatus.CONFLICT, HTTPStatus.CONFLICT, HTTPStatus.TOO_MANY_REQUESTS]
    assert "too fast" in _write(browser, conversation, "A secret waiting text").content.decode()


def test_pending_oracle_pending_and_public_duplicates_get_the_same_answer(conversation):
    make_statement(conversation, "A secret waiting text.", state=Statement.State.PENDING)
    make_statement(conversation, "A public accepted text.")
    pending = _write(Client(), conversation, "A secret waiting text")
    public = _write(Client(), conversation, "A public accepted text")
    assert pending.status_code == public.status_code == HTTPStatus.CONFLICT
    messages = [ERROR.search(answer.content.decode()).group(1) for answer in (pending, public)]
    assert messages[0] == messages[1]
    assert "A secret waiting text." not in pending.content.decode()
