"""The 98 Danish municipalities exist after `migrate`."""

from django.db import migrations


def load(apps, schema_editor):
    from applications.data.municipalities import CVR_BY_CODE, MUNICIPALITIES

    Municipality = apps.get_model("applications", "Municipality")
    for code, name, region in MUNICIPALITIES:
        Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "region": region, "cvr": CVR_BY_CODE.get(code, "")}
        )


def unload(apps, schema_editor):
    apps.get_model("applications", "Municipality").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
