"""``nps-kit sample-size`` as a subprocess: JSON output, human output and input errors."""

from __future__ import annotations

import math
import re

import pytest

from nps_kit.cli.main import main
from nps_kit.design.sample_size import plan_sample_size
from tests.envelopes import envelope_of

INPUTS = ("population", "confidence", "margin", "expected_shares", "response_rate", "z", "fpc")


def _json(cli, *args):
    res = cli("sample-size", *args, "--json")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    env = envelope_of(res, "sample-size")
    assert env["notes"] and env["method"]["method"] == "wald"
    # figures under results, the settings that produced them under method
    return {**env["results"], **env["method"], "inputs": {k: env["method"][k] for k in INPUTS}}


def test_json_keys_and_values(cli):
    out = _json(cli, "--population", 3000, "--confidence", 99, "--margin", 3, "--response-rate", 30)
    for key in ("classic_n", "nps_n", "nps_margin_at_classic_n", "invitations", "population", "confidence",
                "margin", "expected_shares", "response_rate", "z", "fpc", "inputs"):
        assert key in out
    # classic (exact z, Cochran): 1843.03 / (1 + 1842.03 / 3000) = 1141.9 -> 1142
    assert out["classic_n"] == 1142
    # NPS worst case: 6.634897 / 0.0009 = 7372.1; 7372.1 / (1 + 7371.1 / 3000) = 2132.9 -> 2133
    assert out["nps_n"] == 2133
    # 2133 / 0.3 = 7110
    assert out["invitations"] == 7110
    # only 3000 x 0.3 = 900 can answer, so the classic size's margin is the margin of 900:
    # 2.575829 * sqrt(1 / 900) * sqrt(2100 / 2999) = 7.18 points; the plan cannot be reached
    assert out["nps_margin_at_classic_n"] == pytest.approx(
        100 * 2.5758293 * math.sqrt(1 / 900) * math.sqrt(2100 / 2999), abs=1e-4)
    assert out["feasible"] is False and out["reachable_n"] == 900
    assert out["inputs"] == {"population": 3000, "confidence": 0.99, "margin": 3.0, "expected_shares": None,
                             "response_rate": 0.3, "z": None, "fpc": "cochran"}
    # the CLI is a thin layer: same figures as the Python API
    assert out["nps_n_adjusted_wald"] == plan_sample_size(3000, 0.99, 3).nps_n_adjusted_wald


def test_percent_and_fraction_inputs_agree(cli):
    a = _json(cli, "--population", 20000, "--confidence", 95, "--margin", 5, "--response-rate", 30,
              "--expected-shares", "20,30,50")
    b = _json(cli, "--population", 20000, "--confidence", 0.95, "--margin", 5, "--response-rate", 0.3,
              "--expected-shares", "0.2,0.3,0.5")
    assert a == b
    assert a["classic_n"] == 377  # Raosoft / Creative Research Systems' published example
    assert a["expected_shares"] == pytest.approx([0.2, 0.3, 0.5])
    # with shares v = 0.61 the margin at 377 respondents is smaller than the worst case
    assert a["nps_margin_at_classic_n"] < a["nps_margin_at_classic_n_worst_case"]


def test_z_override_and_fpc_choice(cli):
    c = _json(cli, "--population", 3000, "--confidence", 0.99, "--margin", 3, "--z", 2.58)
    s = _json(cli, "--population", 3000, "--confidence", 0.99, "--margin", 3, "--z", 2.58, "--fpc", "surveymonkey")
    # 1849 / 1.616 = 1144.18 -> 1145 (Cochran); 1849 / 1.61633 = 1143.95 -> 1144 (SurveyMonkey)
    assert (c["classic_n"], s["classic_n"]) == (1145, 1144)
    assert c["z_used"] == 2.58


def test_infinite_population(cli):
    out = _json(cli, "--population", "inf", "--confidence", 95, "--margin", 3)
    assert out["population"] is None
    assert (out["classic_n"], out["nps_n"]) == (1068, 4269)
    assert round(out["nps_margin_at_classic_n"]) == 6


def test_human_output_explains_in_two_or_three_sentences(cli):
    res = cli("sample-size", "--population", 30000, "--confidence", 95, "--margin", 5, "--response-rate", 30)
    assert res.returncode == 0, res.stderr
    text = res.stdout.strip()
    sentences = re.split(r"(?<=\.)\s+(?=[A-Z])", text)
    # classic vs NPS, the NPS size, the invitations, sampling error only, the Manski bounds
    assert len(sentences) == 5
    # nps_n: 1536.58 / (1 + 1535.58 / 30000) = 1461.8 -> 1462; invitations 1462 / 0.3 = 4873.3 -> 4874
    assert "1,462" in text and "4,874" in text
    assert "NPS margin" in text and "sampling error only" in text
    assert "from -70 to +70" in text  # worst case: respondents at NPS 0, 30 % answer


def _argv(args):
    base = {"--population": "3000", "--confidence": "95", "--margin": "3"}
    argv = ["sample-size"]
    for k, v in base.items():
        if k not in args:
            argv += [k, v]
    return argv + list(args)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--margin", "0"], "margin=0.0 is out of range"),
        (["--margin", "150"], "margin=150.0 is out of range"),
        (["--confidence", "150"], "confidence='150' is out of range"),
        (["--confidence", "0"], "confidence='0' is out of range"),
        (["--confidence", "1"], "confidence='1' is out of range"),
        (["--response-rate", "0"], "response rate='0' is out of range"),
        (["--population", "0"], "population='0' must be a whole number of people"),
        (["--expected-shares", "20,30"], "have 2 values"),
        (["--expected-shares", "20,30,40"], "sum to 90"),
        (["--confidence", "abc"], "confidence='abc' is not a number"),
    ],
)
def test_nonsense_input_exits_2_with_a_clear_message(capsys, args, fragment):
    # in-process for speed; the subprocess test below covers the real entry point
    assert main(_argv(args)) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("nps-kit sample-size: error:")
    assert fragment in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


@pytest.mark.parametrize("args, fragment", [
    (["--margin", "0"], "margin=0.0 is out of range"),
    (["--population", "0"], "population='0' must be a whole number of people"),
])
def test_nonsense_input_as_subprocess(cli, args, fragment):
    res = cli(*_argv(args))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert res.stderr.startswith("nps-kit sample-size: error:")
    assert fragment in res.stderr
    assert res.stdout == ""
