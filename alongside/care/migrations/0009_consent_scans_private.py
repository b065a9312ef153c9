"""Consent scans move to private, encrypted storage (core.documents).

Each scan uploaded before is read through the old file field and stored again, encrypted;
the field then goes. A scan that cannot be read, or is not a PDF, PNG or JPEG, stops the
migration with the consents' ids, so that nothing is dropped without anyone knowing.
"""

from django.db import migrations, models


def scans_to_private_storage(apps, schema_editor):
    from django.core.exceptions import ValidationError

    from alongside.core.documents import document_store

    Consent = apps.get_model("care", "Consent")
    problems = []
    for consent in Consent.objects.exclude(signature_file="").iterator():
        try:
            with consent.signature_file.open("rb") as scan:
                stored = document_store(scan.read(), folder="consents")
        except (OSError, ValidationError) as exc:
            problems.append(f"{consent.pk}: {exc}")
            continue
        consent.signature_document = stored.key
        consent.save(update_fields=["signature_document"])
    if problems:
        raise RuntimeError(
            "These consents' signed-form scans could not be moved to private storage; put "
            "each file where MEDIA_ROOT can read it as a PDF, PNG or JPEG and migrate again:\n"
            + "\n".join(problems)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0008_safety_follow_up"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="signature_document",
            field=models.CharField(blank=True, editable=False, max_length=80),
        ),
        migrations.RunPython(scans_to_private_storage, migrations.RunPython.noop),
        migrations.RemoveField(model_name="consent", name="signature_file"),
    ]
