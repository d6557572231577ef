"""The demo's illustrative figures (core.illustrative): a marked object's note is shown on the
pages that show it, in one query however many objects a page has; an unmarked one shows nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.urls import reverse

from applications.models import Pool
from core.illustrative import mark, notes_for
from core.models import Illustrative
from monitoring import services

from ..conftest import make_pool, page_client_for

pytestmark = pytest.mark.django_db


def test_marks_are_read_for_many_objects_of_several_models_in_one_query(
    pool_admin: Any, django_assert_num_queries: Any
) -> None:
    pools = [make_pool(name=f"Pulje {n}") for n in range(3)]
    average = services.set_national_kpi(pool_admin, 2026, 1, {"self_supporting_share": Decimal(20)})
    mark(pools[0], "Budgettet er illustrativt.")
    mark(pools[2], "Budgettet er illustrativt.")
    mark(average, "Gennemsnittet er illustrativt.")
    mark(average, "De nationale gennemsnit er illustrative.")  # marking again replaces the note

    notes_for(pools[1])  # the first look after a mark asks whether anything is marked at all
    with django_assert_num_queries(1):
        notes = notes_for(pools, average, None, Pool(name="ikke gemt"))
    assert notes == ["Budgettet er illustrativt.", "De nationale gennemsnit er illustrative."]
    assert Illustrative.objects.count() == 3
    with django_assert_num_queries(0):
        assert notes_for([], None) == []
    assert notes_for(pools[1]) == []


def test_a_site_without_marks_asks_for_none_and_a_mark_shows_at_once(django_assert_num_queries: Any) -> None:
    """Real data is never marked: once the site knows nothing is, a page asks no more."""
    pool = make_pool(name="Rigtig pulje")
    assert notes_for(pool) == []
    with django_assert_num_queries(0):
        assert notes_for(pool) == []
    mark(pool, "Budgettet er illustrativt.")
    assert notes_for(pool) == ["Budgettet er illustrativt."]


def test_the_template_tag_renders_the_notes_or_nothing() -> None:
    marked, plain = make_pool(name="Demo-pulje"), make_pool(name="Rigtig pulje")
    mark(marked, "Puljens budget er illustrativt.")
    template = Template("{% load illustrative %}{% illustrative_note pool %}")
    shown = template.render(Context({"pool": marked}))
    assert 'role="note"' in shown and "Puljens budget er illustrativt." in shown
    assert template.render(Context({"pool": plain})).strip() == ""


def test_the_pools_page_labels_only_the_marked_pools_figures(reviewer: Any) -> None:
    make_pool(name="Rigtig pulje")
    browser = page_client_for(reviewer)
    assert "Illustrative tal" not in browser.get(reverse("applications:pools")).content.decode()
    mark(make_pool(name="Demo-pulje"), "Puljens budget er illustrativt.")
    html = browser.get(reverse("applications:pools")).content.decode()
    assert "Illustrative tal" in html and "Puljens budget er illustrativt." in html


def test_a_mark_belongs_to_its_model_not_to_another_with_the_same_id(pool_admin: Any) -> None:
    """Marks are asked by id for every model at once: an object of another model that happens to
    have the marked object's id carries no note."""
    average = services.set_national_kpi(pool_admin, 2026, 1, {"self_supporting_share": Decimal(20)})
    pool = make_pool(name="Demo-pulje", pk=average.pk)  # the same id, another model
    mark(pool, "Budgettet er illustrativt.")

    assert notes_for(average) == []
    assert notes_for(average, pool) == ["Budgettet er illustrativt."]
