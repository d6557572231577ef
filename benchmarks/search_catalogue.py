"""How fast is the catalogue search over 2,000 entries? Meant for PostgreSQL:

    DATABASE_URL=postgres://puljeflow:puljeflow@127.0.0.1:5432/puljeflow \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://puljeflow:puljeflow@127.0.0.1:5432/puljeflow \\
        .venv/bin/python benchmarks/search_catalogue.py

It generates the entries from the words of the 15 Rambøll entries (fixed random seed), refreshes
their search vectors, runs realistic queries through ambassadors.search.search as the catalogue
page does (count the hits, then the first page of PAGE_SIZE with its highlights) and prints
median and p95 latency, the number of results and whether PostgreSQL's plan uses the GIN index.

It refuses a database that holds data (applications or catalogue entries): everything it writes
happens in one transaction that is rolled back at the end, and the numbers must be of its own
entries only. On SQLite it measures the fallback (no GIN index there).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()  # before the models are imported, hence the E402s below

from django.contrib.postgres.search import SearchQuery, SearchRank  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from ambassadors.data.catalogue import RAMBOLL_CATALOGUE  # noqa: E402
from ambassadors.models import BestPractice, PracticeState, Theme  # noqa: E402
from ambassadors.search import CONFIG, refresh_vectors, search, uses_postgres  # noqa: E402
from ambassadors.views.catalogue import PAGE_SIZE  # noqa: E402
from applications.models import Application, Municipality  # noqa: E402

SEED = 20240501
GIN_INDEX = "best_practice_search_gin_idx"
# What ambassadors and SIRI would type: single words, phrases, plural forms, rare and common terms.
QUERIES = (
    "virksomhed",
    "virksomheder",
    "virksomhedspraktik",
    "praktik løntilskud",
    "kvinder",
    "udsatte kvinder",
    "IGU",
    "integrationsgrunduddannelsen",
    "mentorer",
    "empowerment",
    "tværfaglig organisering",
    "asylcentre",
    "unge uddannelse",
    "10. klasse",
    "visualisering",
    "beskæftigelsestrappen",
    "ordinære timer",
    '"gode råd"',
    "job med støtte",
    "opkvalificering metal",
    "sprogskolen",
    "motivation",
)


class Refused(Exception):
    pass


class Rollback(Exception):
    """Raised at the end so that the transaction leaves nothing behind."""


def _vocabulary() -> tuple[list[str], list[str], list[str]]:
    """Sentences, words and tags of the 15 seed entries."""
    sentences: list[str] = []
    words: list[str] = []
    tags: list[str] = []
    for entry in RAMBOLL_CATALOGUE:
        sentences.extend(s for s in re.split(r"(?<=[.!?])\s+", entry.summary) if s)
        words.extend(re.findall(r"[\wæøåÆØÅ-]{3,}", f"{entry.title} {entry.summary}"))
        tags.extend(entry.tags)
    return sentences, words, tags


def _generated(count: int, rng: random.Random) -> list[BestPractice]:
    sentences, words, tags = _vocabulary()
    titles = [entry.title for entry in RAMBOLL_CATALOGUE]
    municipalities = list(Municipality.objects.all())
    now = timezone.now()

    def random_sentence() -> str:
        chosen = rng.sample(words, rng.randint(8, 20))
        return " ".join(chosen).capitalize() + "."

    def varied_sentence() -> str:
        # A seed sentence with some words swapped for others: realistic but not duplicated text.
        tokens = rng.choice(sentences).split()
        for _ in range(rng.randint(1, 4)):
            tokens[rng.randrange(len(tokens))] = rng.choice(words)
        return " ".join(tokens)

    practices = []
    for _ in range(count):
        summary = " ".join(
            (varied_sentence if rng.random() < 0.6 else random_sentence)() for _ in range(rng.randint(2, 4))
        )
        if rng.random() < 0.5:
            title = f"{rng.choice(titles)} {rng.choice(words).lower()}"
        else:
            title = " ".join(rng.sample(words, rng.randint(2, 4))).capitalize()
        practices.append(
            BestPractice(
                municipality=rng.choice(municipalities),
                theme=rng.choice(Theme.values),
                title=title[:300],
                summary=summary,
                tags=rng.sample(tags, rng.randint(2, 5)),
                state=PracticeState.PUBLISHED,
                published_at=now,
            )
        )
    return practices


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _ranked_ids(text: str) -> list[int]:
    """The match and ranking of search(), without highlighting: what an index can speed up."""
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    return list(
        BestPractice.objects.filter(state=PracticeState.PUBLISHED, search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "title", "pk")
        .values_list("pk", flat=True)
    )


def _plan(text: str, seqscan: bool = True) -> str:
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    queryset = (
        BestPractice.objects.filter(state=PracticeState.PUBLISHED, search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "title", "pk")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL enable_seqscan = {'on' if seqscan else 'off'}")
    try:
        return queryset.explain(analyze=True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = on")


def _refuse_real_data() -> None:
    try:
        applications = Application.objects.count()
        entries = BestPractice.objects.count()
    except DatabaseError as error:
        raise Refused(f"the database is not migrated ({error}); run `manage.py migrate` first") from error
    if applications or entries:
        raise Refused(
            f"the database holds data ({applications} applications, {entries} catalogue entries); "
            "point DATABASE_URL at an empty, migrated database"
        )


def run(entries: int, searches: int) -> None:
    rng = random.Random(SEED)  # noqa: S311 (reproducible test data, not security)
    settings = connection.settings_dict
    print(f"Database: {connection.vendor} {settings.get('NAME')} on {settings.get('HOST') or 'local file'}")
    if not uses_postgres():
        print("Not PostgreSQL: this measures the SQLite fallback; there is no GIN index.")

    ms, _ = _timed(lambda: BestPractice.objects.bulk_create(_generated(entries, rng), batch_size=500))
    print(f"Generated {entries} entries in {ms:.0f} ms (random seed {SEED})")
    ms, _ = _timed(lambda: refresh_vectors(BestPractice.objects.all()))
    print(f"Refreshed the search vectors in {ms:.0f} ms")
    if uses_postgres():
        with connection.cursor() as cursor:
            # What autovacuum does to a live table: merge GIN's pending list (fastupdate) into the
            # index and gather fresh statistics. Without it the planner rightly avoids the index.
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [GIN_INDEX])
            cursor.execute("ANALYZE ambassadors_bestpractice")

    published = BestPractice.objects.filter(state=PracticeState.PUBLISHED).select_related("municipality")

    def first_page(query: str) -> int:
        """What the catalogue page asks of a search: how many hits, and the first page of them."""
        hits = search(published, query)
        list(hits[0:PAGE_SIZE])
        return len(hits)

    for query in QUERIES:  # warm-up: connection, caches, plan
        first_page(query)

    latencies: list[float] = []
    results: dict[str, int] = {}
    for _ in range(searches):
        query = rng.choice(QUERIES)
        ms, count = _timed(lambda query=query: first_page(query))
        latencies.append(ms)
        results[query] = count

    print(f"\n{searches} searches over {len(QUERIES)} queries (count, then the first page of {PAGE_SIZE} highlighted):")
    print(
        f"  median {statistics.median(latencies):.1f} ms   p95 {_percentile(latencies, 0.95):.1f} ms   "
        f"min {min(latencies):.1f} ms   max {max(latencies):.1f} ms"
    )
    counts = sorted(results.values())
    print(f"  results per query: median {statistics.median(counts):.0f}, min {counts[0]}, max {counts[-1]}")
    for query in QUERIES:
        if query in results:
            print(f"    {query!r:<34} {results[query]:>5} results")

    if not uses_postgres():
        return
    ranked: list[float] = []
    for _ in range(searches):
        query = rng.choice(QUERIES)
        ms, _ids = _timed(lambda query=query: _ranked_ids(query))
        ranked.append(ms)
    print(f"\n{searches} searches, match and rank only (no highlighting), for comparison:")
    print(f"  median {statistics.median(ranked):.1f} ms   p95 {_percentile(ranked, 0.95):.1f} ms")

    print("\nQuery plans (EXPLAIN ANALYZE of the match and ranking):")
    for query in ("opkvalificering metal", "udsatte kvinder", "virksomhed"):
        plan = _plan(query)
        print(
            f"  {query!r} ({results.get(query, len(_ranked_ids(query)))} results): GIN index "
            f"{'USED' if GIN_INDEX in plan else 'not used (the planner prefers a sequential scan)'}"
        )
        print("    " + plan.replace("\n", "\n    "))
    forced = _plan("virksomhed", seqscan=False)
    print(f"  'virksomhed' with sequential scans disabled: GIN index {'USED' if GIN_INDEX in forced else 'not used'}")
    print("    " + forced.replace("\n", "\n    "))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--searches", type=int, default=200)
    args = parser.parse_args()
    try:
        _refuse_real_data()
    except Refused as refusal:
        print(f"Refused: {refusal}.", file=sys.stderr)
        return 2
    if uses_postgres():
        # The table is empty (checked above): clear what earlier runs' rollbacks left behind, so
        # every run starts from the same table. VACUUM cannot run inside the transaction.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE ambassadors_bestpractice")
    try:
        with transaction.atomic():
            run(args.entries, args.searches)
            raise Rollback
    except Rollback:
        print("\nRolled back: the database is as it was.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
