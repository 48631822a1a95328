"""Drive v3's search query language (`q` of files.list), parsed into a predicate over files.

Grammar and terms as https://developers.google.com/drive/api/guides/ref-search-terms documents
them: `name`/`mimeType` (`=`, `!=`, `contains`), `fullText contains`, `modifiedTime`/
`createdTime`/`viewedByMeTime` (comparisons with RFC 3339 values, UTC by default),
`trashed`/`starred`/`sharedWithMe` (booleans), `'<value>' in parents|owners|writers|readers`,
`properties`/`appProperties has { key='k' and value='v' }`, joined by `and`/`or`/`not` and
parentheses. Drive also accepts double-quoted strings and `parents in '<id>'` (gspread sends
both). `name contains` matches, case-insensitively, when every word of the value is a prefix of a
word of the name (Drive splits names on non-alphanumerics). Anything else answers 400
`Invalid Value` (reason `invalid`, location `q`), as Drive does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .errors import ApiError

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<op><=|>=|!=|=|<|>|\(|\)|\{|\})
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)
_ESCAPE = re.compile(r"\\(.)")
_STRING_TERMS = ("name", "mimeType", "fullText")
_TIME_TERMS = ("modifiedTime", "createdTime", "viewedByMeTime", "sharedWithMeTime")
_BOOL_TERMS = ("trashed", "starred", "sharedWithMe")
_COLLECTIONS = ("parents", "owners", "writers", "readers")
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


@dataclass
class Candidate:
    """One file as a query sees it, from the caller's point of view."""

    meta: dict[str, Any]
    permissions: list[dict[str, Any]]
    caller: str
    parents: list[str]  # the caller-visible parent ids, the caller's root included
    root: str  # the caller's My Drive root id ('root' in a query means this)
    starred: bool
    shared_with_me: bool
    shared_with_me_time: str | None = None


Predicate = Callable[[Candidate], bool]


def invalid_query() -> ApiError:
    """Drive's answer to a `q` it cannot parse or evaluate."""
    return ApiError(400, "Invalid Value", reason="invalid", location="q", location_type="parameter")


def parse(text: str) -> Predicate:
    """Compile a `q` string; an empty one matches everything."""
    tokens = _tokenize(text)
    if not tokens:
        return lambda c: True
    parser = _Parser(tokens)
    predicate = parser.expression()
    if parser.pos != len(tokens):
        raise invalid_query()
    return predicate


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise invalid_query()
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "str":
            value = _ESCAPE.sub(r"\1", value[1:-1])
        tokens.append((kind, value))
        pos = m.end()
    return tokens


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def name_contains(name: str, value: str) -> bool:
    """Drive's `name contains`: each word of `value` prefixes some word of `name`."""
    words = _words(name)
    return all(any(w.startswith(q) for w in words) for q in _words(value))


def parse_time(text: str) -> datetime:
    """An RFC 3339 date-time as Drive's queries take it (UTC unless an offset is given)."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise invalid_query() from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _role_matches(perm: dict[str, Any], who: str, roles: tuple[str, ...]) -> bool:
    if perm.get("role") not in roles:
        return False
    if who == "anyone":
        return perm.get("type") == "anyone"
    if perm.get("type") == "domain":
        return str(perm.get("domain", "")).lower() == who
    return str(perm.get("emailAddress", "")).lower() == who


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self, ahead: int = 0) -> tuple[str, str]:
        i = self.pos + ahead
        return self.tokens[i] if i < len(self.tokens) else ("end", "")

    def take(self, kind: str | None = None, value: str | None = None) -> str:
        tok_kind, tok_value = self.peek()
        if tok_kind == "end" or kind and tok_kind != kind:
            raise invalid_query()
        if value is not None and (
            tok_value.lower() != value if tok_kind == "word" else tok_value != value
        ):
            raise invalid_query()
        self.pos += 1
        return tok_value

    def at_word(self, word: str) -> bool:
        kind, value = self.peek()
        return kind == "word" and value.lower() == word

    def expression(self) -> Predicate:
        parts = [self.conjunction()]
        while self.at_word("or"):
            self.pos += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else lambda c: any(p(c) for p in parts)

    def conjunction(self) -> Predicate:
        parts = [self.negation()]
        while self.at_word("and"):
            self.pos += 1
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else lambda c: all(p(c) for p in parts)

    def negation(self) -> Predicate:
        if self.at_word("not"):
            self.pos += 1
            inner = self.negation()
            return lambda c: not inner(c)
        if self.peek() == ("op", "("):
            self.pos += 1
            inner = self.expression()
            self.take("op", ")")
            return inner
        return self.term()

    def term(self) -> Predicate:
        kind, value = self.peek()
        if kind == "str":
            self.pos += 1
            self.take("word", "in")
            return self.membership(self.take("word"), value)
        field = self.take("word")
        if field in ("properties", "appProperties"):
            return self.has(field)
        if field == "parents" and self.at_word("in"):  # gspread's `parents in '<id>'`
            self.pos += 1
            return self.membership(field, self.take("str"))
        if field == "sharedWithMe" and self.peek()[1] not in ("=", "!="):
            return lambda c: c.shared_with_me
        if self.at_word("contains"):
            self.pos += 1
            return self.contains(field, self.take("str"))
        op = self.take("op")
        if op not in _COMPARE:
            raise invalid_query()
        return self.comparison(field, op)

    def membership(self, field: str, value: str) -> Predicate:
        if field not in _COLLECTIONS:
            raise invalid_query()
        who = value.lower()
        if field == "parents":
            return lambda c: (c.root if value == "root" else value) in c.parents
        roles = {
            "owners": ("owner",),
            "writers": ("writer", "fileOrganizer", "organizer"),
            "readers": ("reader", "commenter"),
        }[field]

        def test(c: Candidate) -> bool:
            me = c.caller if who == "me" else who
            return any(_role_matches(p, me, roles) for p in c.permissions)

        return test

    def has(self, field: str) -> Predicate:
        self.take("word", "has")
        self.take("op", "{")
        self.take("word", "key")
        self.take("op", "=")
        key = self.take("str")
        self.take("word", "and")
        self.take("word", "value")
        self.take("op", "=")
        value = self.take("str")
        self.take("op", "}")
        return lambda c: (c.meta.get(field) or {}).get(key) == value

    def contains(self, field: str, value: str) -> Predicate:
        if field == "name":
            return lambda c: name_contains(str(c.meta.get("name", "")), value)
        if field == "mimeType":
            return lambda c: value.lower() in str(c.meta.get("mimeType", "")).lower()
        if field == "fullText":  # no indexed content here: name and description only
            return lambda c: name_contains(
                f"{c.meta.get('name', '')} {c.meta.get('description', '')}", value
            )
        raise invalid_query()

    def comparison(self, field: str, op: str) -> Predicate:
        compare = _COMPARE[op]
        if field in ("name", "mimeType") and op in ("=", "!="):
            value = self.take("str")
            if field == "name":  # Drive compares names case-insensitively
                return lambda c: compare(str(c.meta.get("name", "")).lower(), value.lower())
            return lambda c: compare(c.meta.get("mimeType"), value)
        if field in _BOOL_TERMS and op in ("=", "!="):
            word = self.take("word").lower()
            if word not in ("true", "false"):
                raise invalid_query()
            flag = word == "true"
            getter: Callable[[Candidate], bool] = {
                "trashed": lambda c: bool(c.meta.get("trashed")),
                "starred": lambda c: c.starred,
                "sharedWithMe": lambda c: c.shared_with_me,
            }[field]
            return lambda c: compare(getter(c), flag)
        if field in _TIME_TERMS:
            when = parse_time(self.take("str"))
            key = field

            def test(c: Candidate) -> bool:
                stamp = c.shared_with_me_time if key == "sharedWithMeTime" else c.meta.get(key)
                return stamp is not None and compare(parse_time(str(stamp)), when)

            return test
        raise invalid_query()
