"""The results page's plain-words summary and "you and the groups", read back against the
analysis snapshot they come from."""

import re
from html import unescape

import pytest
from django.urls import reverse

from config.demo import load_demo
from deliberation.models import AnalysisSnapshot
from frontend.presenters.summary import QUOTED, summarise, you_and_the_groups
from tests.frontend.test_results_page import as_participant


@pytest.fixture
def demo(db):
    return load_demo()


def _items(html: str, part: str) -> list[str]:
    block = html.split(f'data-summary="{part}"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li ([^>]*)>(.*?)</li>", block, flags=re.S)


def _attribute(attributes: str, name: str) -> str:
    return re.search(rf'{name}="([^"]*)"', attributes).group(1)


def test_results_summary_names_the_analysis_own_consensus_groups_and_contested(client, demo):
    snapshot = AnalysisSnapshot.objects.latest_for(demo.conversation)
    result = snapshot.result
    texts = dict(demo.conversation.statements.values_list("id", "text"))
    html = client.get(reverse("frontend:results", args=[demo.conversation.public_id])).content
    html = html.decode()
    # The summary opens the results: before the map and before the statements in detail.
    assert (
        html.index('id="summary"') < html.index('id="map-heading"') < html.index('id="statements"')
    )

    agreed = _items(html, "agreed")
    expected = [c["statement_id"] for c in result["consensus_agree"][:QUOTED]]
    assert expected, "the demo has consensus statements"
    assert [int(_attribute(a, "data-statement")) for a, _ in agreed] == expected
    assert [unescape(text) for _, text in agreed] == [texts[i] for i in expected]

    groups = _items(html, "groups")
    assert [
        (int(_attribute(a, "data-group")), int(_attribute(a, "data-size"))) for a, _ in groups
    ] == [(g["id"], g["size"]) for g in result["groups"]]
    for (_, sentence), group in zip(groups, result["groups"], strict=True):
        letter = "ABCDEFGHIJ"[group["id"]]
        assert f"Group {letter} ({group['size']} people)" in sentence
        first_agree = next(r for r in group["representative"] if r["direction"] == "agree")
        assert texts[first_agree["statement_id"]] in unescape(sentence)

    contested = _items(html, "contested")
    assert [int(_attribute(a, "data-statement")) for a, _ in contested] == [
        c["statement_id"] for c in result["contested"][:QUOTED]
    ]


def test_results_summary_links_the_context_current_constitution(client, demo):
    html = client.get(reverse("frontend:results", args=[demo.conversation.public_id])).content
    link = reverse("frontend:constitution", args=[demo.context.slug])
    assert f'href="{link}"' in html.decode()
    assert f"version {demo.constitution_version.number}" in html.decode()


def test_results_page_shows_each_statement_bars_once_with_its_roles(client, demo):
    html = client.get(reverse("frontend:results", args=[demo.conversation.public_id])).content
    html = html.decode()
    listed = re.findall(r'<li class="statement-result" data-statement="(\d+)">', html)
    assert listed and len(listed) == len(set(listed))
    assert html.count('class="vote-bars"') == len(listed)
    result = AnalysisSnapshot.objects.latest_for(demo.conversation).result
    first = str(result["consensus_agree"][0]["statement_id"])
    card = html.split(f'data-statement="{first}">', 2)[-1].split("</details>", 1)[0]
    assert "Consensus: agreed" in card


def test_results_page_tells_a_voter_how_they_compare_with_each_group(client, demo):
    snapshot = AnalysisSnapshot.objects.latest_for(demo.conversation)
    grouped = next(p for p in snapshot.result["participants"] if p["group"] is not None)
    participant = demo.conversation.participants.get(pk=grouped["participant_id"])
    as_participant(client, participant)
    html = client.get(reverse("frontend:results", args=[demo.conversation.public_id])).content
    html = html.decode()
    letter = "ABCDEFGHIJ"[grouped["group"]]
    assert "You and the groups" in html
    assert f"You are in Group {letter}" in html
    assert html.index('id="you"') < html.index('id="map-heading"')


def test_you_and_the_groups_counts_votes_matching_each_group_majority():
    def position(group, agree, disagree, seen):
        return {"group": group, "agree": agree, "disagree": disagree, "seen": seen}

    result = {
        "parameters": {"min_votes_in_conversation": 2},
        "participants": [{"participant_id": 7, "group": 1}],
        "groups": [{"id": 0}, {"id": 1}],
        "statements": [
            # Group 0 agrees, group 1 disagrees.
            {"statement_id": 1, "groups": [position(0, 9, 1, 10), position(1, 1, 9, 10)]},
            # Group 0 has no majority (half), group 1 agrees.
            {"statement_id": 2, "groups": [position(0, 5, 5, 10), position(1, 8, 2, 10)]},
            # A pass of the viewer: compared with no one.
            {"statement_id": 3, "groups": [position(0, 9, 0, 10), position(1, 9, 0, 10)]},
        ],
    }
    you = you_and_the_groups(result, 7, {1: -1, 2: 1, 3: 0})
    by_group = {c.group_id: (c.same, c.compared, c.is_yours) for c in you.comparisons}
    assert by_group == {0: (0, 1, False), 1: (2, 2, True)}
    assert you.group == "Group B"
    sentences = [c.sentence for c in you.comparisons]
    assert sentences[0].startswith("You mostly voted unlike Group A's majority")
    assert sentences[1].startswith("You mostly voted like Group B's majority")
    assert you_and_the_groups(result, 7, {}) is None
    assert you_and_the_groups(result, None, {1: 1}) is None


def test_summary_says_so_when_no_statement_is_agreed_across_groups():
    result = {
        "n_participants": 3,
        "n_in_conversation": 0,
        "groups": [],
        "contested": [],
        "consensus_agree": [],
        "consensus_disagree": [],
    }
    summary = summarise(result, {})
    assert summary.agreed == () and summary.groups == ()
    assert "too few voted on enough statements" in summary.opening
