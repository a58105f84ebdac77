"""Report machinery: recording results, template catalogue, parameter checks, HTML export,
provenance, the nps_report template (checked against a hand computation) and the demo runner."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from scipy.stats import norm

from nps_kit.data.bundled import bundled_folder
from nps_kit.errors import DataError, ParameterError, TemplateError
from nps_kit.reports.html import (
    PrivacyError, notebook_to_html, privacy_problems, remote_resources, strip_remote_resources,
    visible_text,
)
from nps_kit.reports.provenance import input_files, provenance
from nps_kit.reports.record import (
    PRIVATE_MIMETYPE, RESULT_MIMETYPE, private_from_notebook, results_from_notebook, to_jsonable,
)
from nps_kit.reports import recorded_results
from nps_kit.data.selection import select_wave
from tests.report_checks import assert_reader_tables
from nps_kit.reports.catalog import (
    check_parameters, coerce_parameter, find_template, list_templates, load_template,
    parse_parameters,
)

DEMO = bundled_folder("demo_data")
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def make_notebook(path: Path, params: str, *code: str, purpose: str | None = None) -> Path:
    cells = [new_markdown_cell("# A tiny test template\n\nFor tests."),
             new_code_cell(params, metadata={"tags": ["parameters"]})]
    cells += [new_code_cell(c) for c in code]
    meta = {"kernelspec": KERNELSPEC}
    if purpose:
        meta["nps_kit"] = {"purpose": purpose}
    nbformat.write(new_notebook(cells=cells, metadata=meta), str(path))
    return path


# --------------------------------------------------------------------------- recording

def test_to_jsonable_converts_frames_numpy_and_missing_values():
    frame = pd.DataFrame({"g": ["a", "b"], "x": [np.nan, 2.5], "k": np.array([1, 2], dtype=np.int64)})
    out = to_jsonable({"t": frame, "i": np.int32(3), "f": np.float64("inf"), "arr": np.arange(2),
                       "when": pd.Timestamp("2025-01-02"), "s": pd.Series({"a": 1.0})})
    assert out == {"t": [{"g": "a", "x": None, "k": 1}, {"g": "b", "x": 2.5, "k": 2}],
                   "i": 3, "f": None, "arr": [0, 1], "when": "2025-01-02T00:00:00", "s": {"a": 1.0}}
    assert type(out["i"]) is int and type(out["t"][0]["k"]) is int
    json.dumps(out, allow_nan=False)
    with pytest.raises(TypeError, match="cannot record"):
        to_jsonable(object())


def test_results_and_private_values_are_read_from_outputs_in_order():
    nb = new_notebook(cells=[
        new_code_cell("", outputs=[new_output("display_data", data={RESULT_MIMETYPE: {"a": 1}})]),
        new_code_cell("", outputs=[new_output("display_data", data={"text/plain": "x"}),
                                   new_output("display_data", data={RESULT_MIMETYPE: {"a": 2, "b": [1]}}),
                                   new_output("display_data", data={PRIVATE_MIMETYPE: {"values": ["C1", "C0"]}})]),
    ])
    assert results_from_notebook(nb) == {"a": 2, "b": [1]}
    assert private_from_notebook(nb) == ["C0", "C1"]


def test_record_in_a_kernel_round_trips(run_template, tmp_path):
    nb = make_notebook(tmp_path / "rec.ipynb", 'x: float = 1.5  # a number',
                       "import numpy as np, pandas as pd\nfrom nps_kit.reports import record\n"
                       "record('x', x * 2)\nrecord('t', pd.DataFrame({'a': [1, 2], 'b': [np.nan, 0.5]}))\n"
                       "record('x', x * 3)")
    out, results = run_template(nb, tmp_path, x=2.0)
    assert results == {"x": 6.0, "t": [{"a": 1, "b": None}, {"a": 2, "b": 0.5}]}
    assert recorded_results(out) == results


# --------------------------------------------------------------------------- templates and parameters

def test_parse_parameters_reads_types_defaults_and_help():
    params = parse_parameters(
        'a: float = 0.95  # level\nb: int = 3\nc: str = "demo:x.csv"  # file, see docs\n'
        'd: list[str] = ["x", "y"]  # items\ne: float | None = None  # optional\nf = True\n'
    )
    got = {p.name: (p.type, p.default, p.help) for p in params}
    assert got == {"a": ("float", 0.95, "level"), "b": ("int", 3, ""),
                   "c": ("str", "demo:x.csv", "file, see docs"), "d": ("list[str]", ["x", "y"], "items"),
                   "e": ("float | None", None, "optional"), "f": ("", True, "")}
    with pytest.raises(TemplateError, match="literal default"):
        parse_parameters("x: float = 1 / 3  # no")


@pytest.mark.parametrize("ptype,text,expected", [
    ("float", "0.9", 0.9), ("float", "2", 2.0), ("int", "7", 7), ("bool", "true", True),
    ("bool", "no", False), ("str", "123", "123"), ("str", "2025-H2", "2025-H2"),
    ("list[str]", "[a, b]", ["a", "b"]), ("list[int]", "[1, 2]", [1, 2]),
    ("float | None", "null", None), ("Optional[int]", "4", 4), ("", "[1, x]", [1, "x"]),
])
def test_command_line_values_are_read_by_declared_type(ptype, text, expected):
    from nps_kit.reports.catalog import TemplateParameter

    value = coerce_parameter(TemplateParameter("p", ptype, None, ""), text, from_text=True)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("ptype,text", [
    ("float", "abc"), ("int", "3.5"), ("int", "true"), ("bool", "maybe"), ("list[int]", "[1, a]"),
    ("float", "null"), ("list[str]", "a"), ("dict", "[1]"),
])
def test_values_that_do_not_fit_the_type_are_refused(ptype, text):
    from nps_kit.reports.catalog import TemplateParameter

    with pytest.raises(ParameterError, match="declared as"):
        coerce_parameter(TemplateParameter("p", ptype, None, "help"), text, from_text=True)


def test_check_parameters_lists_valid_names_and_fills_defaults(tmp_path):
    tpl = load_template(make_notebook(tmp_path / "t.ipynb", "a: int = 1  # one\nb: str = 'x'  # two"))
    assert check_parameters(tpl, {"a": "5"}, from_text={"a"}) == {"a": 5, "b": "x"}
    assert check_parameters(tpl, {"a": 2}) == {"a": 2, "b": "x"}
    with pytest.raises(ParameterError, match=r"no parameter 'c'; its parameters are: a, b"):
        check_parameters(tpl, {"c": 1})
    with pytest.raises(ParameterError):
        check_parameters(tpl, {"a": 1.5})  # a float from YAML does not fit int


def test_find_template_by_name_or_path_and_unknown_lists_installed(tmp_path):
    assert find_template("nps_report").name == "nps_report"
    nb = make_notebook(tmp_path / "mine.ipynb", "a: int = 1  # one", purpose="My purpose")
    tpl = find_template(str(nb))
    assert (tpl.name, tpl.purpose, tpl.parameter_names) == ("mine", "My purpose", ("a",))
    with pytest.raises(TemplateError, match="nps_report"):
        find_template("no_such_template")


def test_template_purpose_falls_back_to_first_heading(tmp_path):
    assert load_template(make_notebook(tmp_path / "t.ipynb", "a = 1")).purpose == "A tiny test template"


TEMPLATES = [t.name for t in list_templates()]


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_packaged_template_follows_the_contract(name):
    import papermill as pm

    tpl = find_template(name)
    nb = nbformat.read(str(tpl.path), as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell must be tagged parameters"
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), "committed with outputs"
    assert tpl.purpose, "needs a purpose (nps_kit.purpose metadata or a heading)"
    assert tpl.parameters and all(p.help and p.type for p in tpl.parameters), "type and # help for each"
    # papermill --help-notebook must document the same parameters. Its parser is stricter than
    # Python: one "=" per line (none in the help comment) and no "X | None" annotations (write
    # the string annotation "Optional[X]" instead).
    missing = set(tpl.parameter_names) - set(pm.inspect_notebook(str(tpl.path)))
    assert not missing, f"papermill --help-notebook cannot parse: {sorted(missing)}"
    # defaults run as-is: every file they name exists (demo: paths).
    input_files(tpl.defaults)


# --------------------------------------------------------------------------- provenance

def test_input_files_hash_demo_and_relative_paths(tmp_path, monkeypatch):
    local = tmp_path / "mine.csv"
    local.write_text("score\n9\n")
    monkeypatch.chdir(tmp_path)
    found = input_files({"responses_file": "demo:responses.csv", "other": "mine.csv", "label": "segment",
                         "n": 3, "files": ["mine.csv"]})
    demo_hash = hashlib.sha256((DEMO / "responses.csv").read_bytes()).hexdigest()
    local_hash = hashlib.sha256(b"score\n9\n").hexdigest()
    assert found == {"responses_file": [{"path": "demo:responses.csv", "sha256": demo_hash}],
                     "other": [{"path": "mine.csv", "sha256": local_hash}],
                     "files": [{"path": "mine.csv", "sha256": local_hash}]}
    with pytest.raises(ParameterError, match="does not exist"):
        input_files({"responses_file": "missing.csv"})
    with pytest.raises(ParameterError, match="demo file"):
        input_files({"x": "demo:nope.csv"})


def test_provenance_is_deterministic_and_names_seed():
    tpl = find_template("nps_report")
    params = check_parameters(tpl, {"seed": 7})
    a, b = provenance(tpl, params), provenance(tpl, params)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert a["seed"] == 7 and a["parameters"]["seed"] == 7
    assert a["template"]["sha256"] == hashlib.sha256(tpl.path.read_bytes()).hexdigest()
    assert a["packages"]["pandas"] == pd.__version__


# --------------------------------------------------------------------------- HTML export

def _output_nb(*outputs, tags=()):
    return new_notebook(cells=[new_markdown_cell("# Report"),
                               new_code_cell("secret_code_line()", outputs=list(outputs),
                                             metadata={"tags": list(tags)})],
                        metadata={"kernelspec": KERNELSPEC})


def test_html_has_no_code_no_scripts_no_result_outputs():
    nb = _output_nb(new_output("display_data", data={"text/plain": "shown value 42"}),
                    new_output("display_data", data={RESULT_MIMETYPE: {"hidden_key": 1}, "text/plain": ""}),
                    new_output("stream", name="stderr", text="/x/y.py:3: FutureWarning: noise\n"))
    page = notebook_to_html(nb)
    text = visible_text(page)
    assert "shown value 42" in text and "Report" in text
    assert "secret_code_line" not in page and "hidden_key" not in page and "FutureWarning" not in page
    assert "<script" not in page.lower() and remote_resources(page) == []
    assert not re.search(r'class="[^"]*jp-InputPrompt', page)


def test_strip_remote_resources_removes_scripts_and_remote_styles():
    page = ('<html><head><script src="https://cdn.example/x.js"></script>'
            '<link rel="stylesheet" href="https://cdn.example/s.css"><script type="module">'
            "import m from 'https://cdn.example/m.mjs';</script></head>"
            '<body><a href="https://example.org">link</a></body></html>')
    assert len(remote_resources(page)) >= 3
    clean = strip_remote_resources(page)
    assert remote_resources(clean) == [] and '<a href="https://example.org">link</a>' in clean


def test_privacy_check_finds_emails_and_private_values():
    page = "<p>Call anna.berg@example.com or see C00042.</p><img src='data:image/png;base64,QUJD'>"
    problems = privacy_problems(page, private_values=["C00042", "7"])
    assert len(problems) == 2 and "anna.berg@example.com" not in " ".join(problems)
    assert privacy_problems("<p>NPS 23 at 95 % (n = 17)</p>", private_values=["17", "C00042"]) == []
    with pytest.raises(PrivacyError, match="e-mail"):
        notebook_to_html(_output_nb(new_output("display_data", data={"text/plain": "x@y.org"})))
    with pytest.raises(PrivacyError, match="private"):
        notebook_to_html(_output_nb(new_output("display_data", data={"text/html": "<td>C00042</td>"})),
                         private_values=["C00042"])


# --------------------------------------------------------------------------- selection

def test_select_wave_latest_explicit_and_unknown():
    df = pd.DataFrame({"wave": ["2024-H2", "2025-H1", None, "2025-H1"], "score": [1, 2, 3, 4]})
    rows, label = select_wave(df)
    assert label == "2025-H1" and rows["score"].tolist() == [2, 4]
    rows, label = select_wave(df, "2024-H2")
    assert label == "2024-H2" and rows["score"].tolist() == [1]
    with pytest.raises(DataError, match="2024-H2, 2025-H1"):
        select_wave(df, "2023-H1")
    assert select_wave(df, column="")[1] == "all"


# --------------------------------------------------------------------------- figures

def test_overview_figures_draw_what_the_tables_hold():
    from nps_kit.plots import CATEGORY_COLORS, overview
    from nps_kit.engines.dispatch import summarize

    scores = pd.Series([0, 6, 7, 9, 10, 10, None])
    freq = overview.score_frequencies(scores)
    assert freq["respondents"].tolist() == [1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 2]
    assert freq.loc[freq.score == 8, "category"].item() == "passive"
    ax = overview.score_distribution(scores)
    heights = sorted(round(p.get_height()) for p in ax.patches if p.get_height() > 0)
    assert heights == [1, 1, 1, 1, 2]
    df = pd.DataFrame({"score": [10, 9, 3, 7, 8, 0], "g": ["a", "a", "a", "b", "b", "b"]})
    by, overall = summarize(df, "score", by="g"), summarize(df, "score")
    ax = overview.nps_forest(by, "g", overall=overall)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["All respondents (n = 6)", "a (n = 3)", "b (n = 3)"]
    ax = overview.category_shares(by, "g", overall=overall)
    widths = [round(p.get_width(), 6) for p in ax.patches]
    assert widths[:3] == [round(100 * 2 / 6, 6), round(100 / 3, 6), round(100 * 2 / 3 / 2, 6)]
    assert matplotlib.colors.to_hex(ax.patches[0].get_facecolor()) == CATEGORY_COLORS["detractor"]


# --------------------------------------------------------------------------- the nps_report template

def _hand_adjusted_wald(d, a, p, confidence):
    """Adjusted Wald (Rocks 2016) by hand: add 0.75/1.5/0.75, then Wald on n + 3, in points."""
    n3 = d + a + p + 3
    pp, dd = (p + 0.75) / n3, (d + 0.75) / n3
    est = pp - dd
    se = np.sqrt((pp + dd - est**2) / n3)
    z = norm.ppf(0.5 + confidence / 2)
    return 100 * se, 100 * max(-1, est - z * se), 100 * min(1, est + z * se)


def _hand_counts(scores):
    s = scores.dropna()
    return int((s <= 6).sum()), int(((s >= 7) & (s <= 8)).sum()), int((s >= 9).sum())


@pytest.fixture(scope="module")
def nps_report_run(tmp_path_factory):
    import papermill as pm

    out = tmp_path_factory.mktemp("nps_report") / "nps_report.ipynb"
    # a non-interactive backend in the environment (usual on servers and CI) must not lose figures
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MPLBACKEND", "Agg")
        pm.execute_notebook(str(find_template("nps_report").path), str(out), kernel_name="python3",
                            progress_bar=False)
    return out


def test_nps_report_results_match_a_hand_computation(nps_report_run):
    results = recorded_results(nps_report_run)
    raw = pd.read_csv(DEMO / "responses.csv")
    latest = sorted(raw["wave"].unique())[-1]
    wave = raw[raw["wave"] == latest]
    d, a, p = _hand_counts(wave["score"])
    assert results["wave"] == latest
    assert results["counts"] == {"detractors": d, "passives": a, "promoters": p}
    assert results["n"] == d + a + p and results["nonrespondents"] == int(wave["score"].isna().sum())
    assert results["nps"] == pytest.approx(100 * (p - d) / (d + a + p), abs=1e-9)
    se, lo, hi = _hand_adjusted_wald(d, a, p, 0.95)
    assert results["se"] == pytest.approx(se, abs=1e-9)
    assert results["ci"] == pytest.approx([lo, hi], abs=1e-9)
    assert results["headline"].startswith(f"{latest}: NPS {results['nps']:+.1f}")
    by = {row["segment"]: row for row in results["by_segment"]}
    assert set(by) == set(wave["segment"].unique())
    for segment, rows in wave.groupby("segment"):
        d, a, p = _hand_counts(rows["score"])
        row = by[segment]
        assert (row["detractors"], row["passives"], row["promoters"]) == (d, a, p)
        assert row["nps"] == pytest.approx(100 * (p - d) / (d + a + p), abs=1e-9)
        assert [row["se"], row["ci_low"], row["ci_high"]] == pytest.approx(
            list(_hand_adjusted_wald(d, a, p, 0.95)), abs=1e-9)


def test_nps_report_with_other_wave_method_and_nonresponse(run_template, tmp_path):
    _, results = run_template("nps_report", tmp_path, wave="2024-H1", method="wald",
                              confidence=0.9, nonresponse="detractor")
    raw = pd.read_csv(DEMO / "responses.csv")
    wave = raw[raw["wave"] == "2024-H1"]
    d, a, p = _hand_counts(wave["score"].fillna(0))  # a blank counts as a detractor
    n = d + a + p
    est = (p - d) / n
    se = np.sqrt((p / n + d / n - est**2) / n)
    z = norm.ppf(0.95)
    assert results["wave"] == "2024-H1" and results["n"] == len(wave)
    assert results["nps"] == pytest.approx(100 * est, abs=1e-9)
    assert results["ci"] == pytest.approx([100 * (est - z * se), 100 * (est + z * se)], abs=1e-9)
    assert (results["method"], results["confidence"], results["nonresponse"]) == ("wald", 0.9, "detractor")


def test_nps_report_html_shows_no_code_and_no_identifiers(nps_report_run):
    nb = nbformat.read(str(nps_report_run), as_version=4)
    page = notebook_to_html(nb, private_values=private_from_notebook(nb))
    text = visible_text(page)
    assert "NPS by segment" in text and "How the answers spread over 0-10" in text
    assert page.count('src="data:image/png;base64,') == 5  # forest, distribution, shares, shrinkage, control chart
    for cell in nb.cells:
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                if len(line.strip()) > 12:
                    assert line.strip() not in text, f"code shown: {line!r}"
    ids = pd.read_csv(DEMO / "responses.csv")["respondent_id"].astype(str)
    assert set(private_from_notebook(nb)) == set(ids)
    tokens = set(re.findall(r"[\w.@+-]+", text))
    assert not tokens & set(ids)
    assert privacy_problems(page) == [] and "<script" not in page.lower()
    # tables for readers: rounded, labelled, settings stated once, no index, no NaN
    assert_reader_tables(page, min_tables=3)
    results = recorded_results(nps_report_run)
    assert "95% interval" in text and "Detractor share" in text and "detractor_share" not in text
    assert f"{results['ci'][0]:.1f} to {results['ci'][1]:.1f}" in text
    assert text.count("Method: adjusted-wald") == 2  # overall and by segment, once each
    assert repr(results["nps"]) not in text  # full precision only in the JSON


# --------------------------------------------------------------------------- demo runner

def test_run_demo_runs_templates_in_parallel_and_reports_failures(tmp_path, monkeypatch):
    import nps_kit.reports.demo as demo

    good = load_template(make_notebook(
        tmp_path / "good.ipynb", "x: int = 2  # a number",
        "from nps_kit.reports import record\nrecord('headline', f'x is {x}')", purpose="Good one"))
    other = load_template(make_notebook(
        tmp_path / "other.ipynb", "y: int = 3  # a number",
        "from nps_kit.reports import record\nrecord('value', y)\nrecord('table', [y])"))
    bad = load_template(make_notebook(tmp_path / "bad.ipynb", "z: int = 0  # a number", "1 / z"))
    monkeypatch.setattr(demo, "list_templates", lambda: [bad, good, other])
    seen = []
    result = demo.run_demo(tmp_path / "out", jobs=3, progress=lambda i, d, t: seen.append((d, t)))
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]
    assert [i.template for i in result.items] == ["bad", "good", "other"]
    assert [i.template for i in result.failed] == ["bad"] and "ZeroDivisionError" in result.failed[0].error
    page = result.index.read_text()
    assert 'href="good.html"' in page and "x is 2" in page and "Good one" in page
    assert "results recorded: value, table" in page  # no headline: the recorded keys
    assert "failed" in page and 'href="bad.html"' not in page
    assert (tmp_path / "out" / "other.json").exists() and (tmp_path / "out" / "bad.failed.ipynb").exists()


def test_nps_report_ranks_segments_fairly_and_charts_every_wave(nps_report_run):
    from nps_kit.groups.shrinkage import shrink_table
    from nps_kit.engines.dispatch import summarize
    from nps_kit.waves.control_chart import control_chart

    results = recorded_results(nps_report_run)
    raw = pd.read_csv(DEMO / "responses.csv")
    latest = raw[raw["wave"] == sorted(raw["wave"].unique())[-1]]
    # the shrunk league table is the library's, on the segments of the reported wave
    expected = shrink_table(summarize(latest, "score", by="segment"), "segment", seed=0).table
    shrunk = pd.DataFrame(results["by_segment_shrunk"])
    assert shrunk["segment"].tolist() == expected["segment"].tolist()
    for column in ("nps_shrunk", "shrunk_low", "shrunk_high", "p_best", "p_worst"):
        assert shrunk[column].tolist() == pytest.approx(expected[column].tolist(), abs=1e-12), column
    # each shrunk NPS lies between the raw NPS and the overall NPS, and the chances sum to one
    for row in shrunk.to_dict("records"):
        low, high = sorted([row["nps"], results["nps"]])
        assert low - 1e-9 <= row["nps_shrunk"] <= high + 1e-9
    assert shrunk["p_best"].sum() == pytest.approx(1) and shrunk["p_worst"].sum() == pytest.approx(1)
    # the control chart covers every wave of the file, with limits around the pooled NPS
    trend = pd.DataFrame(results["trend"])
    assert trend["wave"].tolist() == sorted(raw["wave"].unique())
    chart = control_chart(raw, "score", "wave").table
    assert trend["ucl"].tolist() == pytest.approx(chart["ucl"].tolist(), abs=1e-12)
    pooled = raw["score"].dropna()
    centre = 100 * ((pooled >= 9).mean() - (pooled <= 6).mean())
    assert trend["centre"].tolist() == pytest.approx([centre] * len(trend), abs=1e-9)
    assert any("Latest wave" in s for s in results["trend_sentences"])


def test_nps_report_key_drivers_are_the_library_model_on_the_reported_wave(nps_report_run):
    from nps_kit.groups.drivers import key_drivers
    from nps_kit.engines.dispatch import read_responses

    results = recorded_results(nps_report_run)
    loaded = read_responses("demo:responses.csv", "score", id="respondent_id", wave="wave")
    latest = loaded.data[loaded.data["wave"] == results["wave"]]
    expected = key_drivers(latest, "score", categorical=["segment", "channel"]).table
    got = pd.DataFrame(results["drivers"])
    assert got["level"].tolist() == expected["level"].tolist()
    assert got["nps_effect"].tolist() == pytest.approx(expected["nps_effect"].tolist(), abs=1e-9)
    assert got["ci_low"].tolist() == pytest.approx(expected["ci_low"].tolist(), abs=1e-9)
    phone = got.set_index("level").loc["phone"]
    assert phone["reference"] == "email" and phone["ci_high"] < 0  # the simulated phone bias
    assert any(s.startswith("channel = phone") for s in results["driver_sentences"])
