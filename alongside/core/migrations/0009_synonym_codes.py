# Search synonyms name the directory filters that answer them (`codes`: focus:substance_use),
# so the directory's everyday words and the library's share one store. The groups named in
# content/synonyms.yaml are set as the file has them (as `alongside load_synonyms` would),
# adding the directory's groups; groups the file does not name are kept.

from pathlib import Path

import yaml
from django.conf import settings
from django.db import migrations, models


def _clean(values):
    cleaned = []
    for value in values or []:
        phrase = " ".join(str(value).lower().split())
        if phrase and phrase not in cleaned:
            cleaned.append(phrase)
    return cleaned


def seed_codes(apps, schema_editor):
    path = Path(settings.BASE_DIR) / "content" / "synonyms.yaml"
    if not path.is_file():  # an installed package without content/: nothing to seed
        return
    SearchSynonym = apps.get_model("core", "SearchSynonym")
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for group in document.get("groups") or []:
        SearchSynonym.objects.update_or_create(
            key=group["key"],
            defaults={
                "terms": _clean(group.get("terms")),
                "expansions": _clean(group.get("expansions")),
                "codes": _clean(group.get("codes")),
            },
        )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0008_search_synonyms'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchsynonym',
            name='codes',
            field=models.JSONField(blank=True, default=list, help_text='Filter codes, one per line, e.g. focus:substance_use.', verbose_name='directory filters'),
        ),
        migrations.RunPython(seed_codes, migrations.RunPython.noop),
    ]
