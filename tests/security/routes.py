"""Addressing every route at a side of the world, and telling whether a request wrote anything."""

import hashlib
import re

from django.apps import apps
from django.urls import reverse

from tests.security.urlconf import Route
from tests.security.world import Side

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def url_for(route: Route, side: Side) -> str:
    """The route's URL with every parameter naming an object of `side`."""
    values = {
        "slug": side.context.slug,
        "public_id": side.conversation.public_id,
        "conversation": side.conversation.public_id,
        "statement_id": side.statement.pk,
        "participant_id": side.participant.pk,
        "version_id": side.draft.pk,
        "principle_id": side.principle.pk,
        "name": "reword",
        "subscriber_id": side.webhook.pk,
        "token_id": side.token.pk,
        "invite_id": side.conversation.invites.get().pk,
        "number": side.published.number,
        "version": side.published.number,
        "other": side.published.number,
        "snapshot": side.snapshot.pk,
        "key": "consensus-1",
        "scenario_id": side.scenario.pk,
        "proposal_id": side.proposal.pk,
        "decision": "reject",
    }
    return reverse(route.name, kwargs={n: values[n] for n in PARAMETER.findall(route.pattern)})


def database_state() -> str:
    """A digest of every row of every table Django knows: equal digests, nothing written."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        rows = model._default_manager.order_by("pk").values_list()
        digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    return digest.hexdigest()
