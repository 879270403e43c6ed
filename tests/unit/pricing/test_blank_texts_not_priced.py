"""A blank text has nothing to send: ``estimate()`` leaves it out, as ``smskit estimate``
does (review of user39).

``content.empty`` blocks a text with no visible character and no media, so such an SMS
is never sent and costs nothing; ``smskit estimate`` left those rows out (fix29k) but
``estimate()`` priced each as one segment, so the same CRM export cost 35,262.12 in the
library and 31,706.51 on the command line. ``count_segments("")`` stays 1 (the spec).
Card (tests/_frames.py): a US SMS segment costs 0.0079 + 0.003 fee, a US MMS 0.02.
"""

from __future__ import annotations

import pickle
from decimal import Decimal

from smskit.pricing import RateCard, Template, estimate
from smskit.segments import count_segments

US = ["+14155550123", "+14155550124", "+14155550125", "+14155550126"]
# "", spaces, an ideographic space and a tab, a line separator: what content.empty reads
# as blank (str.strip()).
MSGS = ["Hello there", "", "   ", "\u3000\t\u2028"]
ROWS = [{"number": n, "msg": m} for n, m in zip(US, MSGS, strict=True)]


def test_blank_rows_are_left_out_and_listed(card: RateCard) -> None:
    priced = estimate(Template("{msg}"), rates=card, recipients=ROWS)
    assert priced.messages == 1
    assert priced.segments == 1
    assert priced.total == Decimal("0.0109")
    assert [item.row for item in priced.items] == [0]
    assert priced.blank_texts == (1, 2, 3)
    assert "blank_texts=<3>" in repr(priced)
    assert pickle.loads(pickle.dumps(priced)) == priced
    assert count_segments("") == 1  # the measure of a text is unchanged


def test_one_blank_message_costs_nothing(card: RateCard) -> None:
    priced = estimate(" ", rates=card, to=US[0])
    assert (priced.messages, priced.segments, priced.total) == (0, 0, Decimal(0))
    assert priced.blank_texts == (0,)


def test_an_mms_may_carry_its_media_alone_and_is_priced(card: RateCard) -> None:
    priced = estimate(Template("{msg}"), rates=card, recipients=ROWS, kind="mms")
    assert priced.messages == 4
    assert priced.total == Decimal("0.08")
    assert priced.blank_texts == ()


def test_a_report_and_the_default_rate_leave_blank_rows_out(card: RateCard) -> None:
    # DE is priced by "*" in this card; its only row is blank, so nothing is priced so.
    rows = [*ROWS, {"number": "+4930123456", "msg": " "}]
    priced = estimate(Template("{msg}"), rates=card, recipients=rows)
    assert priced.priced_by_default == ()
    assert priced.report is not None
    assert priced.blank_texts == (1, 2, 3, 4)
