"""French opt-out instructions in the forms Quebec senders write them."""

from __future__ import annotations

import pytest

from smskit.content import lint


@pytest.mark.parametrize("text", [
    "Réno Plus : 15 % de rabais. Répondre ARRET pour arrêter.",
    "Réno Plus : 15 % de rabais. Répondez ARRÊTER.",
    "Réno Plus : 15 % de rabais. Textez ARRÊTEZ.",
])
def test_french_infinitive_and_keyword_forms_count_as_opt_out(text: str) -> None:
    codes = [f.code for f in lint(text, purpose="marketing", first_message=True,
                                  brand="Réno Plus")]
    assert "content.opt_out_missing" not in codes


def test_a_french_promotion_without_an_opt_out_is_still_flagged() -> None:
    codes = [f.code for f in lint("Réno Plus : répondre vite, arrêter de payer trop!",
                                  purpose="marketing", first_message=True, brand="Réno Plus")]
    assert "content.opt_out_missing" in codes
