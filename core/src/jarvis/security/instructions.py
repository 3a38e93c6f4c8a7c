"""Heuristics for instruction-shaped text aimed at the assistant inside tool results."""

from __future__ import annotations

import re

_F = re.IGNORECASE | re.MULTILINE

# Text that only makes sense as an attempt to steer the assistant: removed in enhanced mode.
_STEERING = [
    r"\b(ignore|disregard|forget|override|bypass)\s+((all|any|the|your|my|these|those|of)\s+)*"
    r"(previous|prior|above|earlier|preceding|former|original|initial|existing|system)\s+"
    r"(instructions?|prompts?|rules|directions|guidelines|messages|context|commands|orders)",
    r"\b(ignore|disregard|forget)\s+(everything|all)\s+(above|before|previously|"
    r"you\s+(were|have\s+been)\s+told)",
    r"\byou\s+are\s+now\s+((an?|the|in|my)\s+)?(\w+\s+){0,2}(assistant|ai|bot|model|agent|"
    r"mode|persona|character|dan|unrestricted|unfiltered|jailbroken|named|called)\b",
    r"\bfrom\s+now\s+on,?\s+(you|the\s+assistant)\s+(will|must|should|are)\b",
    r"\b(new|updated|revised|real|actual|additional|hidden|secret|urgent)\s+(system\s+)?"
    r"(instructions?|directives?|orders)\s*:",
    r"\b(reveal|print|show|repeat|output|leak|disclose)\s+(me\s+)?(your|the)\s+(system\s+prompt|"
    r"instructions|initial\s+prompt|hidden\s+prompt|prompt)\b",
    r"\bas\s+an?\s+(ai|llm|language\s+model|ai\s+assistant|assistant)\b[^.\n]{0,40}?"
    r"\b(must|should|need\s+to|have\s+to|are\s+required\s+to)\b",
    r"\b(note|message|instructions?|attention|important|reminder)\s+(to|for)\s+(the\s+|any\s+)?"
    r"(ai|assistant|llm|agent|model|chatbot|gpt|claude|jarvis)\b",
    r"\b(dear|hey|hello)\s+(ai|assistant|agent|llm|chatgpt|claude|jarvis)\b",
    r"^\s*(system|assistant)\s*:",
    r"<\|?(im_start|im_end|system|endoftext|eot_id|start_header_id)\|?>",
    r"\[/?(inst|sys)\]|<</?sys>>|</?(system|system[-_]prompt|instructions?)>",
    r"\b(developer|god|jailbreak|dan)\s+mode\b",
    r"\bdo\s+not\s+(tell|inform|alert|notify|mention\s+(this|it)\s+to)\s+the\s+user\b",
    r"\bwithout\s+(telling|informing|asking|notifying|alerting)\s+the\s+user\b",
    # German, French, Spanish, Italian, Portuguese, Dutch.
    r"\b(ignorier(e|en)?|vergiss|missachte)\s+((alle|die|deine)\s+)*(vorherigen|bisherigen|"
    r"obigen|vorigen)\s+(anweisungen|instruktionen|befehle|regeln)",
    r"\bneue\s+anweisungen\s*:",
    r"\bignore[rz]?\s+(toutes\s+)?(les\s+|tes\s+|vos\s+)?instructions\s+(précédentes|"
    r"antérieures|ci-dessus)",
    r"\bnouvelles\s+instructions\s*:",
    r"\bignora(r)?\s+(todas\s+)?(las\s+|tus\s+)?instrucciones\s+(anteriores|previas)",
    r"\bnuevas\s+instrucciones\s*:",
    r"\bignora\s+(tutte\s+)?(le\s+)?istruzioni\s+(precedenti|sopra)",
    r"\bignor[ae]\s+(todas\s+)?(as\s+)?instruções\s+(anteriores|prévias)",
    r"\bnegeer\s+(alle\s+)?(de\s+)?(vorige|eerdere|voorgaande)\s+instructies",
]

# Requests for actions with side effects: common in honest mail too, so only flagged.
_ACTIONS = [
    r"\b(send|write|compose)\s+(an?\s+)?(e-?mail|message|text|sms)\s+to\b",
    r"\bforward\s+(all|every|this|these|the|my|your)\b[^.\n]{0,40}?\b(e-?mails?|messages?|"
    r"files?|documents?|contacts?|data|conversations?)\b",
    r"\b(transfer|wire)\s+(\$|€|£)?\s?\d",
    r"\b(exfiltrate|exfiltration)\b",
    r"\b(api\s+keys?|passwords?|credentials?|secrets?|tokens?)\b[^.\n]{0,30}?\b(to|at)\s+"
    r"(https?://|\S+@\S+)",
    r"\b(call|invoke|use|run|execute)\s+the\s+\w+\s+tool\b",
    r"\bdelete\s+(all|every)\b",
    r"\bsystem\s+prompt\b",
]

STEERING_PATTERNS = tuple(re.compile(p, _F) for p in _STEERING)
ACTION_PATTERNS = tuple(re.compile(p, _F) for p in _ACTIONS)
REMOVED_NOTICE = "[removed: instruction-shaped text]"
_SNIPPET = 160
_REACH = 300


def flag_instructions(text: str) -> list[str]:
    """Sentences of ``text`` that look like instructions aimed at the assistant."""
    spans = _spans(text, STEERING_PATTERNS + ACTION_PATTERNS)
    return _snippets(text, spans)


def strip_instructions(text: str) -> tuple[str, list[str]]:
    """Replace sentences that try to steer the assistant; return the text and what went."""
    spans = _merge(_spans(text, STEERING_PATTERNS))
    if not spans:
        return text, []
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces += [text[last:start], REMOVED_NOTICE]
        last = end
    pieces.append(text[last:])
    return "".join(pieces), _snippets(text, spans)


def _spans(text: str, patterns: tuple[re.Pattern[str], ...]) -> list[tuple[int, int]]:
    spans = {_sentence(text, m.start(), m.end()) for p in patterns for m in p.finditer(text)}
    return sorted(spans)


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
