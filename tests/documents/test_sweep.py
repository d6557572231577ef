"""Documents a crash left pending or half made are queued again by the sweep, once; their page
stops refreshing after a bound and says the PDF takes longer."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.translation import gettext

from applications.models import Municipality
from core import outbox
from core.models import OutboxMessage
from documents import pdf, registry, services
from documents.models import Document, DocumentStatus

from ..conftest import page_client_for

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(minutes=11)  # DOCUMENT_STALE_AFTER is 10 minutes
LATE = "This is taking longer than expected. The PDF will still be made; reload this page in a few minutes to see it."


@pytest.fixture
def kind() -> Iterator[tuple[registry.Kind, list[int]]]:
    calls: list[int] = []

    def render(document: Document, progress: registry.Progress) -> tuple[bytes, str]:
        calls.append(document.pk)
        return pdf.render([pdf.para(document.subject.name, pdf.styles()["title"])], title="x"), "kommune.pdf"

    spec = registry.register(
        registry.Kind(code="test_sweep", label="Test", render=render, may_have=lambda user, m: m.code == "330")
    )
    yield spec, calls
    registry.KINDS.pop(spec.code)


def left_behind(code: str, user: Any, status: str = DocumentStatus.PENDING, age: datetime.timedelta = LONG_AGO) -> Any:
    """A document whose build message was lost (a crash before the outbox, a worker that died)."""
    slagelse = Municipality.objects.get(code="330")
    document = Document.objects.create(
        kind=code,
        subject_type=ContentType.objects.get_for_model(Municipality),
        subject_id=slagelse.pk,
        requested_by=user,
        status=status,
        progress=40 if status == DocumentStatus.RUNNING else 0,
    )
    when = timezone.now() - age
    Document.objects.filter(pk=document.pk).update(
        created_at=when, started_at=when if status == DocumentStatus.RUNNING else None
    )
    return document


def test_a_stale_pending_document_is_queued_again_and_built_once(
    kind: Any, slagelse_applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    spec, calls = kind
    stuck = left_behind(spec.code, slagelse_applicant)
    fresh = left_behind(spec.code, slagelse_applicant, age=datetime.timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stale() == 1
    stuck.refresh_from_db()
    assert stuck.status == DocumentStatus.DONE and stuck.filename == "kommune.pdf"
    assert calls == [stuck.pk]
    assert Document.objects.get(pk=fresh.pk).status == DocumentStatus.PENDING  # not stuck yet

    # The periodic job, twice more: nothing built again.
    with django_capture_on_commit_callbacks(execute=True):
        outbox.run_sweeps()
        outbox.run_sweeps()
    assert calls == [stuck.pk]


def test_a_document_a_dead_worker_left_running_is_made_again(
    kind: Any, slagelse_applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    spec, calls = kind
    stuck = left_behind(spec.code, slagelse_applicant, DocumentStatus.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stale() == 1
        assert services.requeue_stale() == 0
    stuck.refresh_from_db()
    assert (stuck.status, stuck.progress, calls) == (DocumentStatus.DONE, 100, [stuck.pk])


def test_with_the_broker_down_a_stale_document_is_queued_once_and_built_when_it_is_back(
    kind: Any, slagelse_applicant: Any, django_capture_on_commit_callbacks: Any, broker_down: Any
) -> None:
    spec, calls = kind
    stuck = left_behind(spec.code, slagelse_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stale() == 1
        # Its message is waiting in the outbox: the next runs add no other.
        assert services.requeue_stale() == 0
        assert services.requeue_stale() == 0
    broker_down()  # back
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 1
    assert calls == []

    assert outbox.sweep(older_than=datetime.timedelta(0)) == 1
    assert outbox.sweep(older_than=datetime.timedelta(0)) == 0
    assert calls == [stuck.pk]
    assert Document.objects.get(pk=stuck.pk).status == DocumentStatus.DONE


def test_the_page_stops_refreshing_a_document_that_takes_too_long(
    kind: Any, slagelse_applicant: Any, settings: Any
) -> None:
    spec, _calls = kind
    client = page_client_for(slagelse_applicant)
    late_text = "Det tager længere tid end ventet."  # the pages speak Danish

    fresh = left_behind(spec.code, slagelse_applicant, age=datetime.timedelta(seconds=5))
    page = client.get(f"/documents/{fresh.pk}/").content.decode()
    assert f'hx-get="/documents/{fresh.pk}/?poll=1"' in page and late_text not in page
    partial = client.get(f"/documents/{fresh.pk}/?poll=7", HTTP_HX_REQUEST="true").content.decode()
    assert "?poll=8" in partial

    # After DOCUMENT_POLL_LIMIT refreshes, or once the document is older than the bound.
    settings.DOCUMENT_POLL_LIMIT = 10
    partial = client.get(f"/documents/{fresh.pk}/?poll=10", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-get="' not in partial and late_text in partial
    old = left_behind(spec.code, slagelse_applicant, DocumentStatus.RUNNING)
    page = client.get(f"/documents/{old.pk}/").content.decode()
    assert f'hx-get="/documents/{old.pk}/' not in page and late_text in page

    with translation.override("en"):
        assert gettext(LATE).startswith("This is taking longer than expected.")
    with translation.override("da"):
        assert gettext(LATE).startswith(late_text)
