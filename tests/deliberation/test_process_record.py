"""The process record of a context and its named recruitment channels (issue 13, item 1)."""

from datetime import date

import pytest

from deliberation.errors import InvalidProcessSetting
from deliberation.models import Channel, Invite, Participant, ProcessRecord
from deliberation.services.process import (
    add_channel,
    channel_counts,
    channel_of,
    process_record,
    set_process_record,
)
from tests.factories import make_conversation, make_participant


def test_process_record_defaults_until_written(context):
    record = process_record(context)
    assert record.pk is None
    assert record.suppression_k == 10


def test_set_process_record_writes_eligibility_frame_and_window(context):
    set_process_record(
        context=context,
        eligibility="Adults who use the library",
        sampling_frame="Library card holders, 2026",
        window_start=date(2026, 11, 1),
        window_end=date(2026, 11, 30),
        suppression_k=5,
    )
    record = ProcessRecord.objects.get(context=context)
    assert record.eligibility == "Adults who use the library"
    assert record.suppression_k == 5
    assert record.window_end == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"window_start": date(2026, 12, 1), "window_end": date(2026, 11, 1)}, "close before"),
        ({"suppression_k": 1}, "at least 2"),
        ({"ratification_min_approval": 1.5}, "between 0 and 1"),
    ],
)
def test_set_process_record_refuses_bad_values_and_writes_nothing(context, fields, message):
    with pytest.raises(InvalidProcessSetting, match=message):
        set_process_record(context=context, **fields)
    assert not ProcessRecord.objects.exists()


def test_channel_of_names_the_way_each_participant_came_in(context, conversation):
    invite = Invite.objects.create(conversation=conversation, token_sha256="a" * 64)
    panel = add_channel(
        context=context, name="Panel", kind="invite", invite=invite, description="quotas on age"
    )
    public = add_channel(context=context, name="Library website", kind="public")
    embedded = add_channel(context=context, name="Forum", kind="xid", conversation=conversation)
    channels = list(Channel.objects.all())
    invited = make_participant(conversation, kind=Participant.Kind.INVITED, invite=invite)
    anonymous = make_participant(conversation)
    external = make_participant(conversation, kind=Participant.Kind.EXTERNAL, xid="m-1")
    imported = make_participant(conversation, kind=Participant.Kind.IMPORTED, external_id="7")
    assert channel_of(invited, channels) == panel
    assert channel_of(anonymous, channels) == public
    assert channel_of(external, channels) == embedded
    assert channel_of(imported, channels) is None


def test_channel_counts_counts_participants_and_those_of_no_named_channel(context, conversation):
    add_channel(context=context, name="Library website", kind="public")
    other = make_conversation(context, topic="Another")
    for _ in range(3):
        make_participant(conversation)
    make_participant(other)
    make_participant(other, kind=Participant.Kind.EXTERNAL, xid="x")
    rows = {row.name: row.participants for row in channel_counts(context)}
    assert rows == {"Library website": 4, "no named channel": 1}


def test_add_channel_refuses_a_second_channel_of_the_same_name(context):
    add_channel(context=context, name="Panel", kind="public")
    with pytest.raises(InvalidProcessSetting, match="already has a channel"):
        add_channel(context=context, name="Panel", kind="xid")
    assert Channel.objects.count() == 1
