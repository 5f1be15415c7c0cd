import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import Http404

from deliberation.access import (
    can_create_contexts,
    can_facilitate,
    facilitated_context_or_404,
    facilitated_contexts,
    facilitated_conversation_or_404,
    grant_context_creation,
)


def test_facilitated_contexts_of_an_anonymous_visitor_are_none(context):
    assert not facilitated_contexts(AnonymousUser()).exists()


def test_can_facilitate_only_own_contexts(context, facilitator, other_facilitator):
    assert can_facilitate(facilitator, context)
    assert not can_facilitate(other_facilitator, context)


def test_lookups_of_another_context_raise_404(conversation, other_facilitator):
    with pytest.raises(Http404):
        facilitated_context_or_404(other_facilitator, conversation.context.slug)
    with pytest.raises(Http404):
        facilitated_conversation_or_404(other_facilitator, conversation.public_id)


def test_can_create_contexts_is_the_add_context_role(db, facilitator):
    staff = get_user_model().objects.create_user("staff", is_staff=True)
    creator = get_user_model().objects.create_user("creator")
    grant_context_creation(user=creator)
    creator = get_user_model().objects.get(pk=creator.pk)  # permissions are cached per object
    assert can_create_contexts(creator)
    assert not can_create_contexts(staff)  # admin access alone is not the role
    assert not can_create_contexts(facilitator)
    assert not can_create_contexts(AnonymousUser())


def test_grant_context_creation_command_grants_and_revokes(db, facilitator):
    call_command("grant_context_creation", facilitator.username, stdout=io.StringIO())
    assert can_create_contexts(get_user_model().objects.get(pk=facilitator.pk))
    call_command("grant_context_creation", facilitator.username, "--revoke", stdout=io.StringIO())
    assert not can_create_contexts(get_user_model().objects.get(pk=facilitator.pk))
