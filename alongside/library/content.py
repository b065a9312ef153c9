"""Article files: Markdown with YAML front matter (docs/library.md describes the format).

Parsing only checks the shape of each field and names the file and field that is wrong;
the article's own rules (3-5 short-version points, a /find/ link, ...) are checked when it
is saved, by the model.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from alongside.library.placeholders import text_problems

TEXT_FIELDS = (
    "title",
    "slug",
    "category",
    "description",
    "reviewer",
    "directory_link",
    "directory_link_text",
)
LIST_FIELDS = ("short_version", "related", "references")
REQUIRED_FIELDS = (*TEXT_FIELDS, "reviewed_on", *LIST_FIELDS)


class ArticleFileError(Exception):
    """One or more problems, each naming the file and, where it can, the field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ArticleFile:
    path: Path
    fields: dict[str, Any]  # keyword arguments for services.article_save
    related: list[str]  # slugs, resolved once every file is loaded


def article_file_parse(path: Path) -> ArticleFile:
    """Read one article file; raise ArticleFileError saying what is wrong where."""
    name = path.name

    def problem(field: str, message: str) -> str:
        return f"{name}: {field}: {message}"

    try:
        raw = path.read_text(encoding="utf-8")
        post = frontmatter.loads(raw)
    except UnicodeDecodeError:
        raise ArticleFileError([f"{name}: the file is not UTF-8 text."]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (front matter line {mark.line + 1})" if mark is not None else ""
        raise ArticleFileError([f"{name}: the front matter is not valid YAML{where}."]) from None
    meta: dict[str, Any] = dict(post.metadata)
    if not meta:
        raise ArticleFileError(
            [f"{name}: no front matter: start the file with a block between two --- lines."]
        )

    problems = []
    unknown = sorted(set(meta) - set(REQUIRED_FIELDS))
    for field in unknown:
        problems.append(problem(field, "unknown field (check the spelling)."))
    for field in REQUIRED_FIELDS:
        if meta.get(field) in (None, "", []):
            problems.append(problem(field, "missing; every article needs it."))
    for field in TEXT_FIELDS:
        if meta.get(field) not in (None, "") and not isinstance(meta[field], str):
            problems.append(problem(field, "must be text (put it in double quotes)."))
    for field in LIST_FIELDS:
        if meta.get(field) and not isinstance(meta[field], list):
            problems.append(problem(field, "must be a list (one '- ' item per line)."))
    for field in ("short_version", "related"):
        value = meta.get(field)
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            problems.append(problem(field, "every item must be text."))
    references = meta.get("references")
    if isinstance(references, list) and not all(isinstance(item, dict) for item in references):
        problems.append(problem("references", "every item needs 'text:' and, if any, 'url:'."))
    reviewed_on = _as_date(meta.get("reviewed_on"))
    if meta.get("reviewed_on") not in (None, "") and reviewed_on is None:
        problems.append(problem("reviewed_on", "use a real date written as YYYY-MM-DD."))
    if isinstance(meta.get("slug"), str) and meta["slug"] != path.stem:
        problems.append(problem("slug", f"must match the file name ({path.stem!r})."))
    if not post.content.strip():
        problems.append(f"{name}: the article has no text below the front matter.")
    problems.extend(_text_problems(name, raw))
    if problems:
        raise ArticleFileError(problems)

    fields = {field: meta[field] for field in TEXT_FIELDS}
    fields.update(
        short_version=list(meta["short_version"]),
        references=[dict(reference) for reference in meta["references"]],
        reviewed_on=reviewed_on,
        body_markdown=post.content,
    )
    return ArticleFile(path=path, fields=fields, related=list(meta["related"]))


def _text_problems(name: str, raw: str) -> list[str]:
    """Phone numbers and misused placeholders, each named by file and line."""
    lines = raw.splitlines()
    # The front matter ends at the second "---" line.
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), 0)
    front = "\n".join(lines[: end + 1])
    body = "\n".join(lines[end + 1 :])
    found = text_problems(front, body=False)
    found += [(number + end + 1, problem) for number, problem in text_problems(body)]
    return [f"{name}: line {number}: {problem}" for number, problem in sorted(found)]


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def article_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob("*.md") if path.is_file())
