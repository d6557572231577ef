"""Full-text search of the best-practice catalogue, in Danish.

On PostgreSQL: the `danish` text-search configuration (stemming: "virksomheder" finds
"virksomhed"), weighted title > summary > tags, ranked with ts_rank, served by a GIN index on
`search_vector`, and highlighted with ts_headline. On SQLite (the embedded default): every word of
the query, cut to a simple Danish stem, must occur in the entry; title matches weigh more.
Highlights are escaped text with <mark> around the matches, never the user's own markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import BestPractice

CONFIG = "danish"
# Markers ts_headline puts around matches; the text is escaped first, then they become <mark>.
START, STOP = "\x02", "\x03"
# Plural and definite endings, longest first: virksomhederne → virksomhed, kvinderne → kvind.
SUFFIXES = ("erne", "ene", "ers", "er", "en", "et", "e", "s")
MIN_STEM = 4
SNIPPET_WORDS = 40

VECTOR = (
    SearchVector("title", weight="A", config=CONFIG)
    + SearchVector("summary", weight="B", config=CONFIG)
    + SearchVector(Cast("tags", TextField()), weight="C", config=CONFIG)
)


@dataclass
class Hit:
    practice: BestPractice
    rank: float
    title: SafeString
    snippet: SafeString


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def refresh_vectors(queryset: QuerySet[BestPractice]) -> None:
    """Recompute the search vectors of these entries (after a save); nothing to do on SQLite."""
    if uses_postgres():
        queryset.update(search_vector=VECTOR)


def _marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 (escaped above)


def search(queryset: QuerySet[BestPractice], text: str) -> list[Hit]:
    """The entries matching `text`, best first, with highlighted title and snippet. A NUL
    character is dropped: PostgreSQL takes none in a query, and no entry contains one."""
    text = (text or "").replace("\x00", "").strip()
    if not text:
        return [Hit(p, 0.0, escape(p.title), escape(_clip(p.summary))) for p in queryset]
    if uses_postgres():
        return _search_postgres(queryset, text)
    return _search_fallback(queryset, text)


def _search_postgres(queryset: QuerySet[BestPractice], text: str) -> list[Hit]:
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    marks = {"start_sel": START, "stop_sel": STOP, "config": CONFIG}
    rows = (
        queryset.filter(search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            title_marked=SearchHeadline("title", query, highlight_all=True, **marks),
            snippet_marked=SearchHeadline("summary", query, max_words=SNIPPET_WORDS, min_words=15, **marks),
        )
        .order_by("-rank", "title", "pk")
    )
    return [Hit(row, float(row.rank), _marked(row.title_marked), _marked(row.snippet_marked)) for row in rows]


def stem(word: str) -> str:
    word = word.casefold()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def _stems(text: str) -> list[str]:
    return list(dict.fromkeys(stem(word) for word in re.findall(r"\w+", text) if len(word) > 1))


def _highlight(text: str, stems: Iterable[str]) -> SafeString:
    pattern = re.compile("|".join(rf"\w*{re.escape(s)}\w*" for s in stems), re.IGNORECASE)
    marked = pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", text)
    return _marked(marked)


def _clip(text: str, around: int = 0) -> str:
    words = text.split()
    if len(words) <= SNIPPET_WORDS:
        return text
    start = max(0, min(around - 5, len(words) - SNIPPET_WORDS))
    clipped = " ".join(words[start : start + SNIPPET_WORDS])
    return ("… " if start else "") + clipped + " …"


def _search_fallback(queryset: QuerySet[BestPractice], text: str) -> list[Hit]:
    stems = _stems(text)
    if not stems:
        return []
    hits = []
    # In Python rather than LIKE: SQLite folds only ASCII case, and Danish has æ, ø and å.
    for practice in queryset:
        title = practice.title.casefold()
        summary = practice.summary.casefold()
        tags = " ".join(str(tag) for tag in practice.tags).casefold()
        if not all(s in title or s in summary or s in tags for s in stems):
            continue
        rank = sum(3 * title.count(s) + summary.count(s) + 2 * tags.count(s) for s in stems)
        words = practice.summary.split()
        first = next((i for i, w in enumerate(words) if any(s in w.casefold() for s in stems)), 0)
        hits.append(
            Hit(
                practice,
                float(rank),
                _highlight(practice.title, stems),
                _highlight(_clip(practice.summary, first), stems),
            )
        )
    hits.sort(key=lambda hit: (-hit.rank, hit.practice.title, hit.practice.pk))
    return hits
