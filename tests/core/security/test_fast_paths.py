"""The sanitizers' and the canary check's fast paths find exactly what their definitions find.

Each fast path (the instruction patterns matched case-sensitively on lower-cased text, a
leading assertion checked only where the rest matches, decodings read as bytes) is compared
with the plain definition on generated text that the patterns match, and on noise around it.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jarvis.security import canary, instructions
from jarvis.security.scan import finditer_led

RULES = instructions.STEERING + instructions.ACTIONS
noise = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
tricky = st.sampled_from(["", " ", "\n", ".", "İ", "ı", "ſ", "K", "É", "x", "1", "_"])


def _reference(rules, text):
    return sorted({(m.start(), m.end()) for rule in rules for m in rule.exact.finditer(text)})


def _fast(rules, text):
    folded = instructions._fold(text)
    if folded is None:
        return _reference(rules, text)
    vocabulary = " ".join(set(folded.split()))
    return sorted({(m.start(), m.end()) for rule in rules
                   for m in instructions._folded_matches(rule, folded, vocabulary)})


@st.composite
def matching_text(draw):
    rule = draw(st.sampled_from(RULES))
    hit = draw(st.from_regex(rule.exact, fullmatch=True))
    casing = draw(st.sampled_from([str, str.upper, str.title, str.swapcase]))
    return draw(tricky) + draw(noise) + draw(tricky) + casing(hit) + draw(tricky) + draw(noise)


@settings(max_examples=200, deadline=None)
@given(matching_text())
def test_instruction_matches_are_those_of_the_case_insensitive_patterns(text):
    assert _fast(RULES, text) == _reference(RULES, text)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.exact.pattern[:30])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_rule_names_words_found_in_each_of_its_matches(rule, data):
    # the words let a text skip a rule: each match must hold one of them
    hit = data.draw(st.from_regex(rule.exact, fullmatch=True))
    folded = instructions._fold(hit)  # None: such text is matched by the patterns themselves
    assert folded is None or any(word in folded for word in rule.words)


@given(st.text(max_size=60))
def test_a_pattern_led_by_an_assertion_matches_where_it_would(text):
    for pattern in (r"\bab+", r"(?<!\d)\d{2}", r"\b(ignore|ig)\s"):
        full = re.compile(pattern)
        lead = re.compile(pattern.removeprefix(r"\b").removeprefix(r"(?<!\d)"))
        assert [m.span() for m in finditer_led(full, lead, text)] == \
            [m.span() for m in full.finditer(text)]


@given(st.binary(max_size=80))
def test_binary_decodings_are_read_as_their_latin1_text_would_be(raw):
    assert canary._latin1_letters(raw) == canary._letters(raw.decode("latin-1"))
    assert canary._bytes_look_like_text(raw) == canary._looks_like_text(raw.decode("latin-1"))


def test_every_byte_reads_as_its_latin1_character():
    for value in range(256):
        raw = bytes([value])
        assert canary._latin1_letters(raw) == canary._letters(raw.decode("latin-1"))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(matching_text(), noise), max_size=4).map(". ".join))
def test_strip_and_flag_is_strip_then_flag(text):
    stripped, removed = instructions.strip_instructions(text)
    assert instructions.strip_and_flag(text) == (
        stripped, removed, instructions.flag_instructions(stripped))


@given(st.text(st.sampled_from("0123456789 ,;:.|/-x\u0663"), max_size=80))
def test_decimal_runs_are_those_of_eight_numbers_apart(text):
    # the pattern's definition: eight or more numbers of 2 to 7 digits, 1 to 3 separators apart
    definition = re.compile(r"(?<!\d)(?:\d{2,7}[\s,;:.|/\-]{1,3}){7,}\d{2,7}(?!\d)")
    found = finditer_led(canary._DECIMAL_RUN, canary._DECIMAL_LEAD, text)
    assert [m.span() for m in found] == [m.span() for m in definition.finditer(text)]
