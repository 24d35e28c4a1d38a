"""Owners' accent colours are adjusted just enough to stay readable."""

from __future__ import annotations

import pytest

from profiles.colors import DARK_BACKGROUND, LIGHT_BACKGROUND, MIN_CONTRAST, accent_pair, contrast


@pytest.mark.parametrize(
    "color", ["#B509AC", "#FFEE00", "#000000", "#ffffff", "#0b7a75", "#777777"]
)
def test_both_variants_of_any_accent_reach_the_contrast_minimum(color):
    light, dark = accent_pair(color)
    assert contrast(light, LIGHT_BACKGROUND) >= MIN_CONTRAST
    assert contrast(dark, DARK_BACKGROUND) >= MIN_CONTRAST


def test_a_readable_accent_is_left_as_it_is():
    assert accent_pair("#0b7a75")[0] == "#0b7a75"
