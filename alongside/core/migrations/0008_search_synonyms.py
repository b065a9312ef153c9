# Search synonyms shared by the library's and the directory's search, seeded from
# content/synonyms.yaml so a new site (and the test database) starts with the list.
# `alongside load_synonyms` loads the file again later, audited.

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


def seed_synonyms(apps, schema_editor):
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
            },
        )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_security'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchSynonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField(help_text='Lower-case letters, digits and hyphens, e.g. alcohol.', max_length=60, unique=True, verbose_name='short name')),
                ('terms', models.JSONField(default=list, help_text='Words or short phrases, one per line.', verbose_name='when someone types')),
                ('expansions', models.JSONField(default=list, help_text='Words or short phrases, one per line.', verbose_name='also search for')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'search synonym group',
                'verbose_name_plural': 'search synonym groups',
                'ordering': ['key'],
            },
        ),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
    ]
