"""Credential files: loaded by code, idempotent, and a bad file refused whole with its reason."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
import textstat
import yaml
from django.core.management import CommandError, call_command

from alongside.workforce.loader import CredentialFileError, credentials_load
from alongside.workforce.models import CredentialType

from .conftest import FILES


def copy_files(tmp_path):
    for path in FILES.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def edit(path, change):
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc))


def test_loads_every_file_and_again_changes_nothing(db):
    first = credentials_load([FILES])
    assert sorted((r.code, r.outcome) for r in first) == [
        ("nh-crsw", "created"),
        ("sc-cpss", "created"),
        ("us-ncps", "created"),
    ]
    assert {r.outcome for r in credentials_load([FILES])} == {"unchanged"}
    crsw = CredentialType.objects.get(code="nh-crsw")
    assert crsw.training_by_topic["ethics"] == 16
    assert crsw.experience_hours == 500
    assert crsw.sources[0]["cited"] == "Alc 303.01, 303.02"


def test_a_corrected_file_updates_by_code(db, tmp_path):
    folder = copy_files(tmp_path)
    credentials_load([folder])
    edit(folder / "nh-crsw.yaml", lambda d: d["renewal"].update(grace_days=30))
    outcomes = {r.code: r.outcome for r in credentials_load([folder])}
    assert outcomes == {"nh-crsw": "updated", "sc-cpss": "unchanged", "us-ncps": "unchanged"}
    assert CredentialType.objects.get(code="nh-crsw").grace_days == 30
    assert CredentialType.objects.count() == 3


@pytest.mark.parametrize(
    ("change", "key", "reason"),
    [
        (lambda d: d.pop("board"), "board", "is missing"),
        (
            lambda d: d["initial"]["training_hours"].pop("by_topic"),
            "initial.training_hours.by_topic",
            "is missing",
        ),
        (
            lambda d: d["renewal"].update(cycle_months="two years"),
            "renewal.cycle_months",
            "whole number",
        ),
        (
            lambda d: d["initial"].update(experience_hours=-5),
            "initial.experience_hours",
            "negative",
        ),
        (lambda d: d["renewal"].update(after_grace="forever"), "renewal.after_grace", "lapsed or"),
        (lambda d: d.update(jurisdiction="New Hampshire"), "jurisdiction", "two-letter"),
        (lambda d: d.update(sources=[]), "sources", "at least one"),
        (lambda d: d.update(verifed=True), "verifed", "typo"),
        (
            lambda d: d["renewal"].update(ce_hours={"total": True, "by_topic": {}}),
            "renewal.ce_hours.total",
            "number",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_file_and_key(db, tmp_path, change, key, reason):
    folder = copy_files(tmp_path)
    edit(folder / "sc-cpss.yaml", change)
    with pytest.raises(CredentialFileError) as error:
        credentials_load([folder])
    assert error.value.path.endswith("sc-cpss.yaml")
    assert error.value.key == key
    assert reason in error.value.reason
    # The good files of the same load are not written either.
    assert not CredentialType.objects.exists()


def test_a_topic_outside_the_files_own_topics_is_refused(db, tmp_path):
    folder = copy_files(tmp_path)
    edit(folder / "sc-cpss.yaml", lambda d: d["renewal"]["ce_hours"]["by_topic"].update(juggling=1))
    with pytest.raises(CredentialFileError, match="renewal.ce_hours.by_topic.juggling"):
        credentials_load([folder])


def test_a_bad_file_changes_nothing_already_loaded(db, tmp_path):
    folder = copy_files(tmp_path)
    credentials_load([folder])
    edit(folder / "nh-crsw.yaml", lambda d: d["renewal"].update(grace_days=45))
    edit(folder / "us-ncps.yaml", lambda d: d.pop("code"))
    with pytest.raises(CredentialFileError):
        credentials_load([folder])
    assert CredentialType.objects.get(code="nh-crsw").grace_days == 0


def test_the_same_code_twice_is_refused(db, tmp_path):
    folder = copy_files(tmp_path)
    shutil.copy(folder / "nh-crsw.yaml", folder / "nh-crsw-copy.yaml")
    with pytest.raises(CredentialFileError, match="already the code"):
        credentials_load([folder])


def test_not_yaml_is_refused(db, tmp_path):
    (tmp_path / "broken.yaml").write_text("code: [unclosed\n")
    with pytest.raises(CredentialFileError, match="not valid YAML"):
        credentials_load([tmp_path])


def test_command_loads_and_reports(db):
    out = StringIO()
    call_command("credentials_load", str(FILES), stdout=out)
    assert "nh-crsw: created" in out.getvalue()
    assert CredentialType.objects.count() == 3


def test_command_error_names_the_file_and_key(db, tmp_path):
    folder = copy_files(tmp_path)
    edit(folder / "us-ncps.yaml", lambda d: d["initial"].pop("exam"))
    with pytest.raises(CommandError, match=r"us-ncps.yaml: initial.exam: is missing"):
        call_command("credentials_load", str(folder))
    assert not CredentialType.objects.exists()


NO_FIGURES = """
code: xx-no-figures
name: A credential whose rules give no figures (test)
jurisdiction: VT
board: A board (test)
sources: [{title: "A page", url: "https://example.org/rules"}]
initial:
  training_hours: {total: null, by_topic: {}}
  experience_hours: null
  supervised_hours: null
  exam: null
renewal:
  cycle_months: null
  ce_hours: {total: null, by_topic: {}}
  grace_days: 0
  after_grace: lapsed
unverified: [renewal.cycle_months]
"""


def test_null_where_the_rule_gives_no_figure(db, tmp_path):
    (tmp_path / "xx.yaml").write_text(NO_FIGURES)
    credentials_load([tmp_path])
    ctype = CredentialType.objects.get(code="xx-no-figures")
    assert (ctype.training_hours, ctype.cycle_months, ctype.ce_hours) == (None, None, None)
    assert ctype.verified is False


def test_the_shipped_credential_files_load(db):
    from django.conf import settings

    folder = settings.BASE_DIR / "content" / "credentials"
    results = credentials_load([folder])
    assert {r.code for r in results} >= {"nh-crsw", "sc-cpss", "us-ncps"}
    assert {r.outcome for r in credentials_load([folder])} == {"unchanged"}


SHIPPED = Path(__file__).resolve().parents[3] / "content" / "credentials"


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.name)
def test_each_shipped_note_reads_at_the_librarys_grade(path):
    """The career pages print each note to the public: the library's grade 8 holds for it."""
    note = yaml.safe_load(path.read_text())["note"]
    grade = textstat.flesch_kincaid_grade(note)
    assert grade <= 8, f"{path.name}: note reads at grade {grade}; use shorter sentences"
