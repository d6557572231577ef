"""The quarterly reports as CSV and Excel on the API list: one row per report and goal, the
list's filters, only what the user may see."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl

from applications.models import Grant

from ..conftest import client_for
from .test_api import first_quarter, handed_in

API = "/api/v1/reports/"
DA = {"HTTP_ACCEPT_LANGUAGE": "da"}


def read_csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_each_report_and_goal_is_a_row_with_danish_headers(
    granted_project: Grant, gribskov_project: Grant, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any
) -> None:
    quarter = first_quarter(granted_project)
    handed_in(granted_project, slagelse_applicant, quarter)
    handed_in(gribskov_project, gribskov_applicant, quarter)
    header, *rows = read_csv(client_for(reviewer).get(API, {"format": "csv"}, **DA))
    assert header[:3] == ["Journalnummer", "Projekt", "Kommune"]
    assert header[7] == "Forbrugt til dato (kr.)" and header[9:14] == [
        "Mål",
        "Værdi",
        "n (heraf)",
        "N (ud af)",
        "Andel",
    ]
    assert len(rows) == 4  # two reports of two goals each
    slagelse = [row for row in rows if row[2] == "Slagelse"]
    assert [row[9] for row in slagelse] == ["Aktivitetsparate kvinder i beskæftigelse", "Gennemsnitlig fremmødeprocent"]
    women, attendance = slagelse
    assert women[7] == "120000,50" and women[10] == "5,00" and women[11:14] == ["", "", ""]
    assert attendance[11:14] == ["61", "100", "0,61"]
    # The list's filter: one municipality.
    assert {
        row[2] for row in read_csv(client_for(reviewer).get(API, {"format": "csv", "municipality": "270"}))[1:]
    } == {"Gribskov"}


def test_a_municipality_never_gets_another_municipalitys_figures(
    granted_project: Grant, gribskov_project: Grant, slagelse_applicant: Any, gribskov_applicant: Any
) -> None:
    quarter = first_quarter(granted_project)
    handed_in(granted_project, slagelse_applicant, quarter)
    handed_in(gribskov_project, gribskov_applicant, quarter)
    rows = read_csv(client_for(gribskov_applicant).get(API, {"format": "csv"}, **DA))[1:]
    assert len(rows) == 2 and {row[2] for row in rows} == {"Gribskov"}


def test_the_excel_export_has_numbers(
    granted_project: Grant, slagelse_applicant: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    handed_in(granted_project, slagelse_applicant, first_quarter(granted_project))
    with django_assert_max_num_queries(6):
        response = client_for(reviewer).get(API, {"format": "xlsx"}, **DA)
        content = b"".join(response.streaming_content)
    _header, women, attendance = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows())
    assert women[7].value == 120000.5 and women[7].number_format == '#,##0.00 "kr."'
    assert women[10].value == 5
    assert attendance[13].value == 0.61 and attendance[13].number_format == "0.0%"


def test_the_reports_kpis_and_fip_averages_follow_each_goal_row(
    granted_project: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    from decimal import Decimal

    from monitoring import services

    from .test_api import report_body

    quarter = first_quarter(granted_project)
    data = report_body(granted_project, quarter, Decimal(5), 61)
    data["spent_to_date"] = Decimal(data["spent_to_date"])
    data["kpis"] = {"self_supporting_share": Decimal("12.5"), "job_ready_share": Decimal(40)}
    data["fip"] = [
        {"dimension": "speaks_danish", "respondent": "citizen", "average": Decimal("4.25"), "n": 8},
        {"dimension": "speaks_danish", "respondent": "caseworker", "average": Decimal("3.5"), "n": 8},
    ]
    report = services.create_report(granted_project.pk, slagelse_applicant, data)
    services.submit_report(report.pk, slagelse_applicant)
    header, *rows = read_csv(client_for(reviewer).get(API, {"format": "csv"}, **DA))
    kpis = header.index("Selvforsørgende eller i uddannelse (%)")
    assert [row[kpis] for row in rows] == ["12,50", "12,50"]  # on each goal's row of the report
    assert [row[kpis + 1] for row in rows] == ["40,00", "40,00"] and rows[0][kpis + 2] == ""
    citizen = header.index("FIP: Taler dansk (Borger)")
    assert rows[0][citizen] == "4,25" and rows[0][citizen + 1] == "3,50"  # then the caseworker's
    assert len([name for name in header if name.startswith("FIP: ")]) == 16
