"""Protocol records and flags; NPS by channel and channel-standardised NPS."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from nps_kit.waves.channels import channel_counts, channel_flags, channel_nps, standardized_nps
from nps_kit.errors import DataError, NPSKitWarning, ParameterError
from nps_kit.waves.protocol import flagged_pairs, protocol_flags, read_protocol


# --------------------------------------------------------------------------------- protocol
def test_demo_protocol_flags_the_email_only_wave():
    proto = read_protocol("demo:protocol.yaml")
    assert proto["wave"].tolist() == ["2024-H1", "2024-H2", "2025-H1", "2025-H2"]
    assert proto.loc[0, "channels"] == "email, phone"
    assert proto["fieldwork_days"].tolist() == ["26"] * 4
    with pytest.warns(NPSKitWarning, match="2024-H2 -> 2025-H1: channels, question"):
        flags = protocol_flags(proto, ["2024-H1", "2024-H2", "2025-H1", "2025-H2"])
    pairs = flagged_pairs(flags)
    assert list(zip(pairs["from"], pairs["to"])) == [("2024-H2", "2025-H1"), ("2025-H1", "2025-H2")]
    ch = flags[(flags["from"] == "2024-H2") & (flags["field"] == "channels")].iloc[0]
    assert (ch["from_value"], ch["to_value"]) == ("email, phone", "email")
    # the first two waves follow the same protocol: nothing flagged, no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert protocol_flags(proto, [("2024-H1", "2024-H2")]).empty


def test_protocol_from_csv_flags_each_field_and_missing_wave(tmp_path):
    path = tmp_path / "protocol.csv"
    pd.DataFrame({
        "wave": ["W1", "W2", "W3"],
        "channels": ["email;phone", "email;phone", "email;phone"],
        "scale": ["0-10", "0-10", "1-10"],
        "nonresponse": ["exclude", "detractor", "detractor"],
        "fieldwork_start": ["2024-01-01", "2024-07-01", "2025-01-01"],
        "fieldwork_end": ["2024-01-10", "2024-07-10", "2025-01-31"],
    }).to_csv(path, index=False)
    proto = read_protocol(path)
    flags = protocol_flags(proto, [("W1", "W2"), ("W2", "W3"), ("W3", "W4")], warn=False)
    got = set(zip(flags["from"], flags["field"]))
    assert got == {("W1", "nonresponse"), ("W2", "scale"), ("W2", "fieldwork_days"), ("W3", "protocol")}
    missing = flags[flags["field"] == "protocol"].iloc[0]
    assert missing["to_value"] == "(no protocol record)"
    # start and end dates are not compared by default, but can be
    assert "fieldwork_start" in set(protocol_flags(proto, ["W1", "W2"], ignore=(), warn=False)["field"])


def test_protocol_yaml_forms_and_errors(tmp_path):
    mapping = tmp_path / "p.yaml"
    mapping.write_text("W1:\n  channels: [phone, email]\nW2:\n  channels: [email]\n")
    proto = read_protocol(mapping)
    assert proto.set_index("wave")["channels"].to_dict() == {"W1": "email, phone", "W2": "email"}
    dup = tmp_path / "dup.yaml"
    dup.write_text("- {wave: W1, scale: 0-10}\n- {wave: W1, scale: 0-10}\n")
    with pytest.raises(DataError, match="more than one"):
        read_protocol(dup)
    nowave = tmp_path / "nowave.csv"
    nowave.write_text("name,scale\nA,0-10\n")
    with pytest.raises(DataError, match="'wave'"):
        read_protocol(nowave)
    with pytest.raises(DataError, match="not found"):
        read_protocol(tmp_path / "absent.yaml")


# --------------------------------------------------------------------------------- channels
def _constructed() -> pd.DataFrame:
    """Two waves with identical per-channel results but opposite channel mixes.

    email: 60 % promoters, 30 % passives, 10 % detractors (NPS +50) in both waves;
    phone: 20 % promoters, 40 % passives, 40 % detractors (NPS -20) in both waves.
    W1 has 80 e-mail and 20 phone answers, W2 20 e-mail and 80 phone answers.
    """
    def block(wave, channel, n, shares):
        k = (np.array(shares) * n).astype(int)
        return pd.DataFrame({"wave": wave, "channel": channel,
                             "score": np.repeat([2, 8, 10], k)})
    return pd.concat([
        block("W1", "email", 80, (0.1, 0.3, 0.6)), block("W1", "phone", 20, (0.4, 0.4, 0.2)),
        block("W2", "email", 20, (0.1, 0.3, 0.6)), block("W2", "phone", 80, (0.4, 0.4, 0.2)),
    ], ignore_index=True)


def test_standardised_nps_on_constructed_example():
    df = _constructed()
    # observed: W1 = 0.8 * 50 + 0.2 * (-20) = 36; W2 = 0.2 * 50 + 0.8 * (-20) = -6
    std = standardized_nps(df, "score", "wave", "channel", method="wald")
    assert std["nps"].tolist() == pytest.approx([36.0, -6.0])
    # pooled mix is 50/50 -> both waves 0.5 * 50 + 0.5 * (-20) = 15
    assert std["nps_standardized"].tolist() == pytest.approx([15.0, 15.0])
    assert std["adjustment"].tolist() == pytest.approx([-21.0, 21.0])
    # se by hand: 0.25 * v_email / n_email + 0.25 * v_phone / n_phone
    v_e, v_p = 0.7 - 0.5**2, 0.6 - 0.2**2
    se_w1 = 100 * np.sqrt(0.25 * v_e / 80 + 0.25 * v_p / 20)
    assert std.loc[0, "se"] == pytest.approx(se_w1)
    assert std.loc[0, "ci_low"] == pytest.approx(15 - 1.959963985 * se_w1, abs=1e-6)
    # an explicit reference mix: all e-mail gives the e-mail NPS in both waves
    only_email = standardized_nps(df, "score", "wave", "channel", {"email": 1, "phone": 0}, method="wald")
    assert only_email["nps_standardized"].tolist() == pytest.approx([50.0, 50.0])
    mix = standardized_nps(df, "score", "wave", "channel", {"email": 3, "phone": 1}, method="wald")
    assert mix["nps_standardized"].tolist() == pytest.approx([0.75 * 50 - 0.25 * 20] * 2)
    assert mix.loc[0, "reference"] == "email 75%, phone 25%"


def test_adjusted_standardised_interval_is_centred_on_adjusted_channels():
    df = _constructed()
    std = standardized_nps(df, "score", "wave", "channel", {"email": 0.5, "phone": 0.5})
    adj_e = (48 + 0.75 - 8 - 0.75) / 83  # W1 e-mail: 8 d, 24 a, 48 p plus 0.75/1.5/0.75
    adj_p = (4 + 0.75 - 8 - 0.75) / 23   # W1 phone: 8 d, 8 a, 4 p
    centre = 100 * (0.5 * adj_e + 0.5 * adj_p)
    assert (std.loc[0, "ci_low"] + std.loc[0, "ci_high"]) / 2 == pytest.approx(centre)
    assert std.loc[0, "nps_standardized"] == pytest.approx(15.0)


def test_channel_tables_and_flags():
    df = _constructed()
    counts = channel_counts(df, "score", "wave", "channel")
    assert counts["n"].tolist() == [80, 20, 20, 80]
    assert counts["share"].tolist() == pytest.approx([0.8, 0.2, 0.2, 0.8])
    by_channel = channel_nps(df, "score", "wave", "channel", method="wald")
    assert by_channel["nps"].tolist() == pytest.approx([50, -20, 50, -20])
    with pytest.warns(NPSKitWarning, match="email 80% -> 20%"):
        flags = channel_flags(df, "score", "wave", "channel")
    assert flags["difference"].tolist() == pytest.approx([-0.6, 0.6])
    assert channel_flags(df, "score", "wave", "channel", tolerance=0.7, warn=False).empty


def test_missing_channel_gives_nan_and_warning():
    df = _constructed()
    df = df[~((df["wave"] == "W2") & (df["channel"] == "phone"))]
    with pytest.warns(NPSKitWarning, match="W2 \\(no respondents by phone\\)"):
        std = standardized_nps(df, "score", "wave", "channel")
    assert np.isnan(std.loc[1, "nps_standardized"]) and std.loc[1, "missing_channels"] == "phone"
    with pytest.raises(ParameterError, match="fax"):
        standardized_nps(df, "score", "wave", "channel", {"fax": 1})


def test_demo_data_email_wave_looks_better_than_standardised():
    from nps_kit.engines.dispatch import read_responses

    data = read_responses("demo:responses.csv", "score", id="respondent_id", wave="wave").data
    with pytest.warns(NPSKitWarning):
        std = standardized_nps(data, "score", "wave", "channel")
    # e-mail answers are friendlier than phone answers in every mixed wave of the demo
    by_channel = channel_nps(data, "score", "wave", "channel").pivot_table(
        index="wave", columns="channel", values="nps", observed=True).dropna()
    assert (by_channel["email"] > by_channel["phone"]).all()
    # the e-mail-only wave cannot be reweighted to a mix that includes the phone
    assert np.isnan(std.set_index("wave").loc["2025-H1", "nps_standardized"])
