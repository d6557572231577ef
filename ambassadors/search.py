"""Full-text search of the best-practice catalogue, in Danish.

On PostgreSQL: the `danish` text-search configuration (stemming: "virksomheder" finds
"virksomhed"), weighted title > summary > tags, ranked with ts_rank, served by a GIN index on
`search_vector`, and highlighted with ts_headline. On SQLite (the embedded default): every word of
the query, cut to a simple Danish stem, must occur in the entry; title matches weigh more.
Highlights are escaped text with <mark> around the matches, never the user's own markup.

A search answers `Results`, read a page at a time, and only the page's entries are built and
highlighted. On PostgreSQL the database matches, ranks, counts and cuts the page (with the GIN
index); the SQLite fallback matches and ranks over the texts alone and reads the page's entries
by their ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

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


class Results(Sequence[Hit]):
    """The hits of a search, best first, read a page at a time: counting and cutting a page
    happen in the database, and only the hits of the page asked for are highlighted. A
    `Paginator` (the catalogue page, the API) takes it as it takes a queryset."""

    def __init__(self, count: Callable[[], int], page: Callable[[int, int], list[Hit]]) -> None:
        self._count = count
        self._page = page
        self._total: int | None = None

    def count(self) -> int:
        if self._total is None:
            self._total = self._count()
        return self._total

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Hit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...

    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("A page of hits is a contiguous slice.")
            return self._page(start, stop) if stop > start else []
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return self._page(position, position + 1)[0]

    def __iter__(self) -> Iterator[Hit]:
        return iter(self[0 : len(self)])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Results | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def search(queryset: QuerySet[BestPractice], text: str) -> Results:
    """The entries matching `text`, best first, with highlighted title and snippet. A NUL
    character is dropped: PostgreSQL takes none in a query, and no entry contains one."""
    text = (text or "").replace("\x00", "").strip()
    if not text:
        return _everything(queryset)
    if uses_postgres():
        return _search_postgres(queryset, text)
    return _search_fallback(queryset, text)


def _everything(queryset: QuerySet[BestPractice]) -> Results:
    def page(start: int, stop: int) -> list[Hit]:
        return [Hit(p, 0.0, escape(p.title), escape(_clip(p.summary))) for p in queryset[start:stop]]

    return Results(queryset.count, page)


def _search_postgres(queryset: QuerySet[BestPractice], text: str) -> Results:
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    ranked = (
        queryset.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "title", "pk")
    )
    marks = {"start_sel": START, "stop_sel": STOP, "config": CONFIG}

    def page(start: int, stop: int) -> list[Hit]:
        rows = list(ranked[start:stop])
        # ts_headline reads the whole text of an entry: only for the entries on the page, in a
        # query of its own, so PostgreSQL never runs it for a row the LIMIT drops.
        marked = {
            pk: (title, snippet)
            for pk, title, snippet in BestPractice.objects.filter(pk__in=[row.pk for row in rows])
            .annotate(
                title_marked=SearchHeadline("title", query, highlight_all=True, **marks),
                snippet_marked=SearchHeadline("summary", query, max_words=SNIPPET_WORDS, min_words=15, **marks),
            )
            .values_list("pk", "title_marked", "snippet_marked")
        }
        return [
            Hit(row, float(row.rank), _marked(marked[row.pk][0]), _marked(marked[row.pk][1]))
            for row in rows
            if row.pk in marked
        ]

    return Results(ranked.count, page)


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


def _rank(title: str, summary: str, tags: list[str], stems: list[str]) -> float:
    """The fallback's rank of an entry, 0 when a stem of the query is missing from it. In Python
    rather than LIKE: SQLite folds only ASCII case, and Danish has æ, ø and å."""
    title = title.casefold()
    summary = summary.casefold()
    tag_text = " ".join(str(tag) for tag in tags).casefold() if isinstance(tags, list) else ""
    if not all(s in title or s in summary or s in tag_text for s in stems):
        return 0.0
    return float(sum(3 * title.count(s) + summary.count(s) + 2 * tag_text.count(s) for s in stems))


def _search_fallback(queryset: QuerySet[BestPractice], text: str) -> Results:
    """Matched and ranked over the texts alone (one query, no entries built), then the page's
    entries are read by their ids and highlighted."""
    stems = _stems(text)
    if not stems:
        return Results(lambda: 0, lambda start, stop: [])
    ranked: list[tuple[float, str, int]] = []
    for pk, title, summary, tags in queryset.values_list("pk", "title", "summary", "tags"):
        rank = _rank(title, summary, tags, stems)
        if rank:
            ranked.append((-rank, title, pk))
    ranked.sort()

    def page(start: int, stop: int) -> list[Hit]:
        wanted = ranked[start:stop]
        practices = queryset.in_bulk([pk for _rank_, _title, pk in wanted])
        hits = []
        for negative_rank, _title, pk in wanted:
            practice = practices[pk]
            words = practice.summary.split()
            first = next((i for i, w in enumerate(words) if any(s in w.casefold() for s in stems)), 0)
            hits.append(
                Hit(
                    practice,
                    -negative_rank,
                    _highlight(practice.title, stems),
                    _highlight(_clip(practice.summary, first), stems),
                )
            )
        return hits

    return Results(lambda: len(ranked), page)
