"""Close-the-loop call lists: contents, order, the CSV, and no identifiers in the summary."""

from __future__ import annotations

import pandas as pd
import pytest

from nps_kit.revenue.calllist import call_list, write_call_list
from nps_kit.errors import DataError
from nps_kit.revenue.classes import abc_classes, join_responses


@pytest.fixture
def study():
    customers = pd.DataFrame({
        "customer_id": [f"c{i}" for i in range(10)],
        "company": [f"Firm {i}" for i in range(10)],
        "contact_name": [f"Person {i}" for i in range(10)],
        "contact_email": [f"p{i}@example.com" for i in range(10)],
        "annual_revenue": [900.0, 800.0, 700.0, 600.0, 500.0, 400.0, 300.0, 200.0, 100.0, 50.0],
    })
    responses = pd.DataFrame({
        "respondent_id": ["c8", "c0", "c3", "c1", "c5", "c9", "c2"],
        "score": [2, 7, 10, 0, None, 9, 8],
        "comment": ["too slow", "fine", "love it", "awful", None, "great", "ok"],
        "wave": "w1",
    })
    classes = abc_classes(customers)
    joined = join_responses(classes, responses, wave_column="wave", comment="comment")
    return classes, joined


def test_lists_hold_the_right_people_in_revenue_order(study):
    calls = call_list(*study)
    f = calls.follow_up
    assert f["customer_id"].tolist() == ["c0", "c1", "c2", "c8"]  # 900, 800, 700, 100
    assert f["category"].tolist() == ["passive", "detractor", "passive", "detractor"]
    assert set(f["action"]) == {"call back"}
    assert f["class"].tolist() == ["A", "A", "B", "C"]
    assert f.loc[f["customer_id"] == "c1", "comment"].item() == "awful"
    assert f.loc[f["customer_id"] == "c8", "contact_email"].item() == "p8@example.com"
    t = calls.thank
    assert t["customer_id"].tolist() == ["c3", "c9"]
    assert set(t["action"]) == {"thank and ask for a referral"}
    assert t["score"].tolist() == [10.0, 9.0]
    # the declined score (c5) is on neither list under the default rule
    assert "c5" not in set(f["customer_id"]) | set(t["customer_id"])
    assert list(f.columns) == ["action", "class", "customer_id", "company", "contact_name",
                               "contact_email", "annual_revenue", "score", "category", "comment",
                               "wave"]


def test_declined_is_called_when_counted_as_detractor(study):
    classes, _ = study
    responses = pd.DataFrame({"respondent_id": ["c5"], "score": [None]})
    joined = join_responses(classes, responses, nonresponse="detractor")
    assert call_list(classes, joined).follow_up["customer_id"].tolist() == ["c5"]


def test_summary_has_counts_and_no_identifiers(study):
    calls = call_list(*study)
    s = calls.summary
    assert s.set_index(["list", "class"])["rows"].to_dict() == {
        ("follow_up", "A"): 2, ("follow_up", "B"): 1, ("follow_up", "C"): 1,
        ("thank", "A"): 0, ("thank", "B"): 1, ("thank", "C"): 1,
    }
    html = calls._repr_html_()
    for private in ("c0", "Person", "Firm", "example.com", "awful"):
        assert private not in html


def test_written_csv_round_trips(study, tmp_path):
    calls = call_list(*study)
    path = write_call_list(calls, tmp_path / "deep" / "calls.csv")
    back = pd.read_csv(path)
    assert len(back) == calls.n_follow_up + calls.n_thank == 6
    assert back.columns[0] == "list"
    assert back["list"].tolist() == ["follow_up"] * 4 + ["thank"] * 2
    assert back["customer_id"].tolist() == ["c0", "c1", "c2", "c8", "c3", "c9"]


def test_contact_columns(study):
    classes, joined = study
    calls = call_list(classes, joined, contact_columns=["contact_name"])
    assert "contact_email" not in calls.follow_up.columns
    with pytest.raises(DataError, match="'phone' not found"):
        call_list(classes, joined, contact_columns=["phone"])
