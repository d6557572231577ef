"""The pool dashboard's goals table as CSV and Excel (issue 17.1): every project the page's
filters choose (not only the page shown), a row per project and goal, behind the page's rule."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from applications.models import Grant, GrantState

from ..conftest import make_pool, page_client_for
from .conftest import recent_period
from .test_view_queries import add_projects

pytestmark = pytest.mark.django_db

DA = {"HTTP_ACCEPT_LANGUAGE": "da"}


def test_the_dashboard_exports_its_projects_goals_with_its_filters(
    slagelse_applicant: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    start, end = recent_period()
    pool = make_pool(project_start_earliest=start, project_end_latest=end)
    grants = add_projects(pool, 55, slagelse_applicant, reviewer)  # more than a page of 50
    Grant.objects.filter(pk__in=[g.pk for g in grants]).update(state=GrantState.ACTIVE)
    browser = page_client_for(reviewer)
    url = reverse("monitoring:dashboard", args=[pool.pk])

    page = browser.get(url, **DA).content.decode()
    assert "format=csv" in page and "format=xlsx" in page

    with django_assert_max_num_queries(20):
        response = browser.get(url, {"format": "csv"}, **DA)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Disposition"].startswith('attachment; filename="overvaagning-')
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[:7] == ["Journalnummer", "Projekt", "Kommune", "Fase", "Risiko", "Tal fra", "Mål"]
    assert len(rows) == 55 * 2  # two goals each, every project
    women = next(row for row in rows if row[1] == "Projekt 0" and row[6] == "Kvinder i job")
    assert women[3] == "Aktiv" and women[7] == "5,00"

    # The page's filters: Gribskov's half, one stage.
    gribskov = browser.get(url, {"format": "csv", "municipality": "270"}, **DA)
    assert len(b"".join(gribskov.streaming_content).decode("utf-8-sig").splitlines()) == 1 + 27 * 2
    closed = browser.get(url, {"format": "csv", "stage": "closed"}, **DA)
    assert len(b"".join(closed.streaming_content).decode("utf-8-sig").splitlines()) == 1

    response = browser.get(url, {"format": "xlsx"}, **DA)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *cells = list(sheet.iter_rows(values_only=True))
    assert header[7] == "Nået" and len(cells) == 110
    assert any(row[6] == "Kvinder i job" and row[7] == 5 for row in cells)


def test_the_dashboard_export_answers_as_the_page_does(slagelse_applicant: Any, reviewer: Any) -> None:
    pool = make_pool()
    url = reverse("monitoring:dashboard", args=[pool.pk])
    assert page_client_for(slagelse_applicant).get(url, {"format": "csv"}).status_code == 403
