"""The Examples sections of the core modules run and give what they show."""

import doctest
import importlib

import pytest

MODULES = ["nps_kit.scores", "nps_kit.intervals", "nps_kit.summary", "nps_kit.io", "nps_kit.errors"]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
