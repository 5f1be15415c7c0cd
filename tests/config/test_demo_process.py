"""The demo's process record: screening, skewed self-description against census-like targets,
raking that agrees with weightipy's own result, and a completed ratification (issue 13).
"""

import numpy as np
import pandas as pd
import pytest
import weightipy

from config.demo import DEMO_SLUG, PARTICIPANTS, load_demo
from config.demo_process import SCREENED_OUT
from constitutions.renderers.canonical import stored_document
from deliberation.models import Answer, Question
from deliberation.services.representativeness import report, sample


def test_demo_raking_matches_weightipy_on_the_demo_answers(db):
    loaded = load_demo()
    data = sample(loaded.context)
    questions = Question.objects.filter(context=loaded.context, kind="self").order_by("position")
    # The same complete-case frame, built here straight from the answer rows.
    rows = pd.DataFrame(
        list(
            Answer.objects.filter(question__in=questions).values_list(
                "participant_id", "question__key", "choice__key"
            )
        ),
        columns=["participant", "question", "answer"],
    ).pivot(index="participant", columns="question", values="answer")
    rows = rows.reindex(list(data.participant_ids)).replace("prefer-not-to-say", np.nan)
    scheme = weightipy.scheme_from_dict(
        {
            q.key: {c.key: 100 * c.target_share for c in q.choices.exclude(target_share=None)}
            for q in questions
        },
        rim_params={"convcrit": 1e-9, "max_iterations": 1000},
    )
    theirs = weightipy.weight_dataframe(rows, scheme)["weights"].to_numpy()
    theirs = theirs * len(theirs) / theirs.sum()
    assert data.raking.weights == pytest.approx(theirs, rel=1e-6)
    assert 0 < data.raking.effective_n < len(data.participant_ids)

    # The sample is visibly skewed against the census, and weighting brings it to the target.
    full = report(context=loaded.context, public=False, data=data)
    young = full["questions"][0]["categories"][0]
    assert young["sample_share"] > young["target_share"] + 0.15
    assert young["weighted_share"] == pytest.approx(young["target_share"], abs=0.005)

    # The published version records the same process object; its figures say what happened.
    process = stored_document(loaded.constitution_version)["process"]
    assert process["screening"] == {"eligible": PARTICIPANTS, "screened_out": SCREENED_OUT}
    assert process["channels"][0]["participants"] == PARTICIPANTS
    assert process["weighting"]["effective_sample_size"] == round(data.raking.effective_n, 2)
    assert process["ratification"]["whole_text"]["approval"] > 0.6
    assert len(process["self_description"]) == 3
    assert all(
        c["participants"] is None or c["participants"] >= 10
        for q in process["self_description"]
        for c in q["categories"]
    )


def test_demo_public_version_page_shows_the_process_record(db, client):
    load_demo()
    page = client.get(f"/contexts/{DEMO_SLUG}/constitution/").content.decode()
    assert "Who took part" in page
    assert "screened out" in page
    assert "effective sample size" in page
    assert "approved the whole text" in page
    assert "How old are you?" in page
