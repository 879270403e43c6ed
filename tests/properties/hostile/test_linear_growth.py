"""Hostile inputs that used to take quadratic time: doubling the input at most about
doubles the time (a ratio of medians, never an absolute time; see tests/linear.py)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from linear import assert_linear
from smskit.cli._common import UsageError
from smskit.cli._rows import open_rows
from smskit.content import extract_hosts, lint, mentions_opt_out, promotion
from smskit.errors import KeywordError, RateCardError
from smskit.keywords import KeywordSet, classify_reply
from smskit.pricing import RateCard
from smskit.segments import pack_septets, unpack_septets


def _distinct(n: int) -> str:
    return "".join(chr(0x4E00 + i) for i in range(n))  # CJK ideographs, all different


def test_extract_hosts_on_a_long_non_ascii_host_is_linear() -> None:
    def make(n: int) -> Callable[[], object]:
        # Distinct code points: the costly case for punycode.
        text = "see https://" + _distinct(n) + ".example/x"
        return lambda: extract_hosts(text)
    assert_linear(make, 2000)


def test_lint_on_a_long_non_ascii_host_is_linear() -> None:
    def make(n: int) -> Callable[[], object]:
        # A new text each call: lint remembers the cost of texts it has seen.
        texts = (f"Visit www.{_distinct(n)}.com today {i}" for i in itertools.count())
        return lambda: lint(next(texts), purpose="marketing", first_message=False)
    assert_linear(make, 2000)


def test_lint_on_many_look_alike_words_is_linear() -> None:
    # Review rev31c: each restricted word written with a look-alike is read as the
    # handset shows it and reported as written; one long run of letters ends in a twin.
    def make(n: int) -> Callable[[], object]:
        texts = (f"{i} " + "w\u0456ne nail gun " * n + "a" * n + "\u0430"
                 for i in itertools.count())
        return lambda: lint(next(texts), purpose="marketing", first_message=False)
    assert_linear(make, 1000)


@pytest.mark.parametrize("shape", [
    # Review of rev31c: a long run of look-alike letters that ends in a letter with no
    # twin (a Russian word, "ооо...ж") is no word to read as Latin; the scan that
    # decides so once backtracked over the run from each of its look-alikes.
    lambda n: "\u043e" * n + "\u0436",
    lambda n: "\u043ea" * n + "\u0436 wine",
])
def test_lint_on_a_long_look_alike_run_in_another_script_is_linear(
    shape: Callable[[int], str],
) -> None:
    def make(n: int) -> Callable[[], object]:
        texts = (f"{i} {shape(n)}" for i in itertools.count())
        return lambda: lint(next(texts), purpose="marketing", first_message=False)
    assert_linear(make, 2000)


@pytest.mark.parametrize("shape", [
    # Review of rev31c: the spaces between an instruction verb and its keyword were
    # matched by three optional runs in a row ("\\s*:?\\s*[quote]?\\s*"), tried in every
    # split: "reply" and 2,000 spaces took minutes, in lint and in the engine's footer
    # check (mentions_opt_out) of every marketing text.
    lambda n: "Reply" + " " * n + "x",
    lambda n: "text back with" + " " * n + "x",
    lambda n: "STOP" + " " * n + "to" + " " * n + "x",
    # Review of fix31a: HELP named before the keyword, and what may follow the keyword.
    lambda n: "Reply HELP" + " " * n + "or" + " " * n + "STOP" + " " * n + "x",
    lambda n: "Reply HELP or " * n + "x",
    lambda n: "Reply HELP" + "/" * n + "x",
])
def test_opt_out_language_on_a_long_run_of_spaces_is_linear(
    shape: Callable[[int], str],
) -> None:
    def make(n: int) -> Callable[[], object]:
        text = shape(n)
        return lambda: mentions_opt_out(text)
    assert_linear(make, 150)


@pytest.mark.parametrize("shape", [
    # Review of rev31c: each offer named in a clause that says it stops ("no longer
    # receive coupon codes") looked for the clause's start from the head of the text.
    lambda n: "You will no longer receive coupon codes. " * n + "x",
    lambda n: "a" * 40 * n + " no more " + "coupon codes, " * n + "x",
])
def test_promotion_on_many_offers_that_stop_is_linear(shape: Callable[[int], str]) -> None:
    def make(n: int) -> Callable[[], object]:
        text = shape(n)
        return lambda: promotion(text)
    assert_linear(make, 400)


def test_a_host_label_too_long_for_dns_is_left_unencoded() -> None:
    host = extract_hosts("https://" + "漢" * 64 + ".example/x")[0][1]
    assert host == "漢" * 64 + ".example"
    assert extract_hosts("https://bücher.example/x")[0][1] == "xn--bcher-kva.example"


def test_classify_reply_with_many_distinct_clauses_is_linear() -> None:
    def make(n: int) -> Callable[[], object]:
        body = ". ".join(f"clause{i:06d}" for i in range(n)) + ". stop"
        return lambda: classify_reply(body)
    assert_linear(make, 6000)


def test_classify_reply_on_a_long_run_of_calls_and_conjunctions_is_linear() -> None:
    # The calls-and-texts phrase once backtracked into its loop: quadratic.
    def make(n: int) -> Callable[[], object]:
        body = "stop " + "calling me and " * n + "x"
        return lambda: classify_reply(body)
    assert_linear(make, 2000)


@pytest.mark.parametrize("shape", [
    # fix27k: a threat of any length (a possessive loop), "and"s and run-on subjects
    # after a request (at most three looked at), answers at the ends of a clause, and a
    # number in another script's digits (translated once).
    lambda n: "stop texting me or i will " + "report you to the fcc " * n,
    lambda n: "stop texting me and " * n + "x",
    lambda n: "stop texting " + "2125550123 and " * n + "4155550123",
    lambda n: "no " * n + "stop",
    lambda n: "not interested " * n + "stop texting me i " * n,
    lambda n: "STOP " + "٢١٢٥٥٥٠١٢٣ " * n,
    lambda n: "remove me " + "٢١٢ ٥٥٥" * n,
    # rev27k: run-on words before a request (at most three looked at), "and my" after
    # one, a list of another channel then "and", whole-reply phrases, a denied consent.
    lambda n: "wtf " * n + "stop texting me",
    lambda n: "stop texting me and my " * n + "wife",
    lambda n: "remove me from the mailing list and " * n + "keep texting me",
    lambda n: "not interested, " + "please " * n + "remove",
    lambda n: "i never gave you permission to text me " * n,
])
def test_classify_reply_on_fix27k_shapes_is_linear(shape: Callable[[int], str]) -> None:
    def make(n: int) -> Callable[[], object]:
        body = shape(n)
        return lambda: classify_reply(body)
    assert_linear(make, 400)


def test_pack_and_unpack_septets_are_linear() -> None:
    def make_pack(n: int) -> Callable[[], object]:
        septets = bytes(i % 128 for i in range(n))
        return lambda: pack_septets(septets, fill_bits=3)

    def make_unpack(n: int) -> Callable[[], object]:
        data = bytes(i % 256 for i in range(n))
        return lambda: unpack_septets(data, fill_bits=1)
    assert_linear(make_pack, 40_000)
    assert_linear(make_unpack, 40_000)


def test_the_csv_duplicate_column_check_is_linear(tmp_path: Path) -> None:
    def make(n: int) -> Callable[[], object]:
        path = tmp_path / f"wide{n}.csv"
        header = ",".join(f"c{i}" for i in range(n)) + ",c0\n"
        path.write_text(header + ",".join("x" for _ in range(n + 1)) + "\n")

        def run() -> object:
            with pytest.raises(UsageError, match="'c0' appears twice"):
                open_rows(str(path), 1000)
            return None
        return run
    assert_linear(make, 20_000)


def test_rate_cards_grow_linearly_and_absurd_lines_are_refused_before_parsing() -> None:
    def make(n: int) -> Callable[[], object]:
        lines = [f'[countries.US.10dlc]\nsms_per_segment = 0.0079\n[[bundles]]\nname = "b{i}"\n'
                 'segments = 10\nprice = 1\ncountries = ["US"]\nroutes = ["10dlc"]\n'
                 for i in range(1)]
        body = 'name = "t"\ncurrency = "USD"\n' + "".join(lines)
        body += "".join(f"# note {i}\n" for i in range(n))
        return lambda: RateCard.from_toml(body)
    assert_linear(make, 6000)
    dotted = "a" + ".a" * 20_000 + " = 1\n"  # 10 s in Python's TOML parser; refused at once
    with pytest.raises(RateCardError, match="line of 40,005 characters"):
        RateCard.from_toml(dotted)
    with pytest.raises(RateCardError, match="limit is 1,000,000"):
        RateCard.from_toml("# x\n" * 300_000)


def test_a_keyword_longer_than_one_message_is_refused() -> None:
    with pytest.raises(KeywordError, match="at most 160"):
        KeywordSet.default().extend("opt_out", ["x" * 16_000])
    assert KeywordSet.default().extend("opt_out", ["y" * 160]).kind_of("y" * 160) is not None
