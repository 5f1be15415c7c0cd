"""The demo shows the whole evaluation loop: scenarios for every consensus principle of its
published version, its eval set, and one clearly labelled simulated adherence report, rendered
as a table beside each principle on the version page."""

import json
import re

from config.demo import DEMO_SLUG, load_demo
from config.demo_evaluation import SIMULATED_MODEL
from constitutions.models import AdherenceReport


def test_demo_version_page_shows_scenarios_and_the_simulated_adherence_table(db, client):
    version = load_demo().constitution_version
    document = json.loads(version.canonical_json)
    consensus = document["consensus_principles"]
    assert consensus and all(len(p.get("scenarios", [])) >= 2 for p in consensus)

    eval_set = client.get(
        f"/api/v1/contexts/{DEMO_SLUG}/constitution/versions/1.0.0/", {"format": "eval"}
    ).json()
    assert len(eval_set) == sum(len(p.get("scenarios", [])) for p in consensus)

    report = AdherenceReport.objects.get(version=version)
    assert "simulated" in report.model_name and "no model was run" in report.model_name
    shares = {r.principle_key: r for r in report.results.all()}
    assert set(shares) == {p["key"] for p in consensus}

    body = client.get(f"/contexts/{DEMO_SLUG}/constitution/1.0.0/").content.decode()
    tables = re.findall(
        r'<table class="table table-stack adherence-table">(.*?)</table>', body, re.DOTALL
    )
    assert len(tables) == len(consensus)
    for principle, table in zip(consensus, tables, strict=True):
        result = shares[principle["key"]]
        cells = re.findall(r'<td data-label="[^"]*">(.*?)</td>', table, re.DOTALL)
        assert cells[0] == SIMULATED_MODEL
        assert cells[2] == f"{int(result.follow_share * 100 + 0.5)}%"
        assert cells[3] == str(result.samples)
    # The API lists the same report.
    listed = client.get(f"/api/v1/contexts/{DEMO_SLUG}/constitution/versions/1.0.0/reports/")
    assert listed.json()["results"][0]["model"]["name"] == SIMULATED_MODEL
