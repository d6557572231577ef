"""An entry's municipality becomes the first of its municipalities, and its single contact the
first of its contacts. In a migration of its own: PostgreSQL refuses to alter a table in the
transaction that wrote rows referring to it (0009 drops the old columns)."""

from typing import Any

from django.db import migrations


def forward(apps: Any, schema_editor: Any) -> None:
    practice_model = apps.get_model("ambassadors", "BestPractice")
    contact_model = apps.get_model("ambassadors", "PracticeContact")
    through = practice_model.municipalities.through
    rows = practice_model.objects.values_list(
        "pk", "municipality_id", "contact_name", "contact_role", "contact_email", "contact_phone"
    )
    links, contacts = [], []
    for pk, municipality_id, name, role, email, phone in rows.iterator(chunk_size=2000):
        links.append(through(bestpractice_id=pk, municipality_id=municipality_id))
        if name or email or phone:
            contacts.append(
                contact_model(practice_id=pk, name=name or email or phone, role=role, email=email, phone=phone)
            )
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    contact_model.objects.bulk_create(contacts, batch_size=2000)


def backward(apps: Any, schema_editor: Any) -> None:
    practice_model = apps.get_model("ambassadors", "BestPractice")
    contact_model = apps.get_model("ambassadors", "PracticeContact")
    seen: set[int] = set()
    for contact in contact_model.objects.order_by("practice_id", "order", "id").iterator(chunk_size=2000):
        if contact.practice_id in seen:
            continue  # the old columns hold one contact: the first
        seen.add(contact.practice_id)
        practice_model.objects.filter(pk=contact.practice_id).update(
            contact_name=contact.name,
            contact_role=contact.role,
            contact_email=contact.email,
            contact_phone=contact.phone,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0007_catalogue_entry_parts"),
    ]

    operations = [migrations.RunPython(forward, backward)]
