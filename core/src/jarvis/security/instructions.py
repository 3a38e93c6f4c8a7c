"""Heuristics for instruction-shaped text aimed at the assistant inside tool results."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .scan import finditer_led

_F = re.IGNORECASE | re.MULTILINE


@dataclass(frozen=True, slots=True)
class _Rule:
    """One heuristic: its regular expression (``exact``, matched ignoring case), and the
    lower-case ``words`` one of which is in every text it matches: a text holding none of them
    is not searched at all."""

    words: tuple[str, ...]
    exact: re.Pattern[str]
    folded: re.Pattern[str]  # the same, case-sensitive, for text lower-cased by :func:`_fold`
    lead: re.Pattern[str] | None  # ``folded`` without its leading \b (see finditer_led)

    @classmethod
    def of(cls, words: str, pattern: str) -> _Rule:
        body = pattern.removeprefix(r"\b")
        lead = re.compile(body, re.MULTILINE) if body != pattern and "|" not in _top(body) else None
        return cls(tuple(words.split()), re.compile(pattern, _F),
                   re.compile(pattern, re.MULTILINE), lead)


def _top(pattern: str) -> str:
    """``pattern`` with its groups and classes left out: what is at the top level."""
    out, depth, escaped, in_class = [], 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


# Text that only makes sense as an attempt to steer the assistant: removed in enhanced mode.
STEERING = (
    _Rule.of("ignore disregard forget override bypass",
             r"\b(ignore|disregard|forget|override|bypass)\s+((all|any|the|your|my|these|those|"
             r"of)\s+)*(previous|prior|above|earlier|preceding|former|original|initial|existing|"
             r"system)\s+(instructions?|prompts?|rules|directions|guidelines|messages|context|"
             r"commands|orders)"),
    _Rule.of("ignore disregard forget",
             r"\b(ignore|disregard|forget)\s+(everything|all)\s+(above|before|previously|"
             r"you\s+(were|have\s+been)\s+told)"),
    _Rule.of("now",
             r"\byou\s+are\s+now\s+((an?|the|in|my)\s+)?(\w+\s+){0,2}(assistant|ai|bot|model|"
             r"agent|mode|persona|character|dan|unrestricted|unfiltered|jailbroken|named|"
             r"called)\b"),
    _Rule.of("from", r"\bfrom\s+now\s+on,?\s+(you|the\s+assistant)\s+(will|must|should|are)\b"),
    _Rule.of("instruction directive order",
             r"\b(new|updated|revised|real|actual|additional|hidden|secret|urgent)\s+(system\s+)?"
             r"(instructions?|directives?|orders)\s*:"),
    _Rule.of("prompt instructions",
             r"\b(reveal|print|show|repeat|output|leak|disclose)\s+(me\s+)?(your|the)\s+"
             r"(system\s+prompt|instructions|initial\s+prompt|hidden\s+prompt|prompt)\b"),
    _Rule.of("must should need have required",
             r"\bas\s+an?\s+(ai|llm|language\s+model|ai\s+assistant|assistant)\b[^.\n]{0,40}?"
             r"\b(must|should|need\s+to|have\s+to|are\s+required\s+to)\b"),
    _Rule.of("note message instruction attention important reminder",
             r"\b(note|message|instructions?|attention|important|reminder)\s+(to|for)\s+"
             r"(the\s+|any\s+)?(ai|assistant|llm|agent|model|chatbot|gpt|claude|jarvis)\b"),
    _Rule.of("dear hey hello",
             r"\b(dear|hey|hello)\s+(ai|assistant|agent|llm|chatgpt|claude|jarvis)\b"),
    _Rule.of("system assistant", r"^\s*(system|assistant)\s*:"),
    _Rule.of("im_start im_end system endoftext eot_id start_header_id",
             r"<\|?(im_start|im_end|system|endoftext|eot_id|start_header_id)\|?>"),
    _Rule.of("inst sys", r"\[/?(inst|sys)\]|<</?sys>>|</?(system|system[-_]prompt|instructions?)>"),
    _Rule.of("mode", r"\b(developer|god|jailbreak|dan)\s+mode\b"),
    _Rule.of("user",
             r"\bdo\s+not\s+(tell|inform|alert|notify|mention\s+(this|it)\s+to)\s+the\s+user\b"),
    _Rule.of("without",
             r"\bwithout\s+(telling|informing|asking|notifying|alerting)\s+the\s+user\b"),
    # German, French, Spanish, Italian, Portuguese, Dutch.
    _Rule.of("ignorier vergiss missachte",
             r"\b(ignorier(e|en)?|vergiss|missachte)\s+((alle|die|deine)\s+)*(vorherigen|"
             r"bisherigen|obigen|vorigen)\s+(anweisungen|instruktionen|befehle|regeln)"),
    _Rule.of("anweisungen", r"\bneue\s+anweisungen\s*:"),
    _Rule.of("ignore", r"\bignore[rz]?\s+(toutes\s+)?(les\s+|tes\s+|vos\s+)?instructions\s+"
                       r"(précédentes|antérieures|ci-dessus)"),
    _Rule.of("nouvelles", r"\bnouvelles\s+instructions\s*:"),
    _Rule.of("ignora", r"\bignora(r)?\s+(todas\s+)?(las\s+|tus\s+)?instrucciones\s+(anteriores|"
                       r"previas)"),
    _Rule.of("nuevas", r"\bnuevas\s+instrucciones\s*:"),
    _Rule.of("ignora", r"\bignora\s+(tutte\s+)?(le\s+)?istruzioni\s+(precedenti|sopra)"),
    _Rule.of("ignor", r"\bignor[ae]\s+(todas\s+)?(as\s+)?instruções\s+(anteriores|prévias)"),
    _Rule.of("negeer", r"\bnegeer\s+(alle\s+)?(de\s+)?(vorige|eerdere|voorgaande)\s+instructies"),
)

# Requests for actions with side effects: common in honest mail too, so only flagged.
ACTIONS = (
    _Rule.of("send write compose",
             r"\b(send|write|compose)\s+(an?\s+)?(e-?mail|message|text|sms)\s+to\b"),
    _Rule.of("forward", r"\bforward\s+(all|every|this|these|the|my|your)\b[^.\n]{0,40}?"
                        r"\b(e-?mails?|messages?|files?|documents?|contacts?|data|"
                        r"conversations?)\b"),
    _Rule.of("transfer wire", r"\b(transfer|wire)\s+(\$|€|£)?\s?\d"),
    _Rule.of("exfiltrat", r"\b(exfiltrate|exfiltration)\b"),
    _Rule.of("api password credential secret token",
             r"\b(api\s+keys?|passwords?|credentials?|secrets?|tokens?)\b[^.\n]{0,30}?\b(to|at)"
             r"\s+(https?://|\S+@\S+)"),
    _Rule.of("tool", r"\b(call|invoke|use|run|execute)\s+the\s+\w+\s+tool\b"),
    _Rule.of("delete", r"\bdelete\s+(all|every)\b"),
    _Rule.of("system", r"\bsystem\s+prompt\b"),
)

STEERING_PATTERNS = tuple(rule.exact for rule in STEERING)
ACTION_PATTERNS = tuple(rule.exact for rule in ACTIONS)
REMOVED_NOTICE = "[removed: instruction-shaped text]"
_SNIPPET = 160
_REACH = 300
# Characters that a pattern's letter matches ignoring case, but whose lower case is not it.
_CASE_FOLDS = str.maketrans({"\u0131": "i", "\u017f": "s"})
_SPECIAL_FOLDS = re.compile("[\u0131\u017f]")


def flag_instructions(text: str) -> list[str]:
    """Sentences of ``text`` that look like instructions aimed at the assistant."""
    spans = _spans(text, STEERING + ACTIONS)
    return _snippets(text, spans)


def strip_instructions(text: str) -> tuple[str, list[str]]:
    """Replace sentences that try to steer the assistant; return the text and what went."""
    spans = _merge(_spans(text, STEERING))
    if not spans:
        return text, []
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces += [text[last:start], REMOVED_NOTICE]
        last = end
    pieces.append(text[last:])
    return "".join(pieces), _snippets(text, spans)


def strip_and_flag(text: str) -> tuple[str, list[str], list[str]]:
    """:func:`strip_instructions`, then :func:`flag_instructions` of what is left: the text,
    the snippets removed and those flagged. Where nothing was removed the steering patterns
    found nothing, so only the action patterns are looked for again."""
    stripped, removed = strip_instructions(text)
    rules = STEERING + ACTIONS if removed else ACTIONS
    return stripped, removed, _snippets(stripped, _spans(stripped, rules))


def _spans(text: str, rules: tuple[_Rule, ...]) -> list[tuple[int, int]]:
    folded = _fold(text)
    if folded is None:  # lower case would move characters: match the text itself
        matches = (m for rule in rules for m in rule.exact.finditer(text))
    else:
        # Each distinct run of non-space characters once: a rule's word (no spaces in it) is
        # in the text exactly when it is in one of them, and they are far fewer to search.
        vocabulary = " ".join(set(folded.split()))
        matches = (m for rule in rules for m in _folded_matches(rule, folded, vocabulary))
    return sorted({_sentence(text, m.start(), m.end()) for m in matches})


def _fold(text: str) -> str | None:
    """``text`` in lower case, character for character, so that the case-sensitive patterns
    find in it what the case-insensitive ones find in ``text``; None where lower-casing a
    character gives several (then positions would differ)."""
    folded = text.lower()
    if len(folded) != len(text):
        return None
    return folded.translate(_CASE_FOLDS) if _SPECIAL_FOLDS.search(folded) else folded


def _folded_matches(rule: _Rule, folded: str, vocabulary: str) -> Iterator[re.Match[str]]:
    """What ``rule.folded.finditer(folded)`` yields: nothing without one of the rule's words
    in ``vocabulary`` (the distinct words of ``folded``, space-separated)."""
    if not any(word in vocabulary for word in rule.words):
        return iter(())
    if rule.lead is None:
        return rule.folded.finditer(folded)
    return finditer_led(rule.folded, rule.lead, folded)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a match to the sentence around it (bounded, so one match cannot eat a page)."""
    left = start
    floor = max(0, start - _REACH)
    while left > floor and not _ends_sentence(text, left - 1):
        left -= 1
    right = end
    ceiling = min(len(text), end + _REACH)
    while right < ceiling and not _ends_sentence(text, right - 1):
        right += 1
    while left < start and text[left].isspace():
        left += 1
    return left, right


def _ends_sentence(text: str, index: int) -> bool:
    # A full stop inside "evil.com" or "3.5" does not end a sentence; one before a space does.
    char = text[index]
    if char == "\n":
        return True
    if char not in ".!?":
        return False
    return index + 1 >= len(text) or text[index + 1].isspace()


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _snippets(text: str, spans: list[tuple[int, int]]) -> list[str]:
    found: list[str] = []
    for start, end in _merge(spans):
        snippet = " ".join(text[start:end].split())
        if len(snippet) > _SNIPPET:
            snippet = snippet[: _SNIPPET - 1] + "…"
        if snippet and snippet not in found:
            found.append(snippet)
    return found
