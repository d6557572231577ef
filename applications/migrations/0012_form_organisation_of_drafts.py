"""The one text of "Organisation og ledelse" written before the section was divided into its five
fields: a draft's text moves to `management` (the structure and leadership it described), where
its author divides it before submitting; `organisation` is then empty. An application that was
submitted with the one text keeps it as it was submitted, and the read view and the PDF show it.
A draft whose `management` is written already keeps both, and the form shows the old text beside
the section."""

from django.db import migrations
from django.db.models import Q


def move_drafts_text(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    drafts = Application.objects.filter(state="draft", journal_number__isnull=True, management="").exclude(
        Q(organisation="")
    )
    for application in drafts.only("pk", "organisation"):
        Application.objects.filter(pk=application.pk).update(management=application.organisation, organisation="")


def put_drafts_text_back(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    drafts = Application.objects.filter(state="draft", journal_number__isnull=True, organisation="").exclude(
        Q(management="")
    )
    for application in drafts.only("pk", "management"):
        Application.objects.filter(pk=application.pk).update(organisation=application.management, management="")


class Migration(migrations.Migration):
    dependencies = [("applications", "0011_form_application_parts")]

    operations = [migrations.RunPython(move_drafts_text, put_drafts_text_back)]
