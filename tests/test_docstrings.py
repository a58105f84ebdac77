"""The Examples sections of the core modules run and give what they show."""

import doctest
import importlib

import pytest

MODULES = ["nps_kit.core.scores", "nps_kit.core.intervals", "nps_kit.core.summary", "nps_kit.data.files", "nps_kit.errors"]


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
