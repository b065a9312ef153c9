"""Rule files kept as YAML data (credential types, payers, instruments): what every loader
checks alike.

A loader subclasses ``FileChecker`` with its own error class and adds the checks only its
files need. Every failure names the file, the key (``services[2].rate``) and what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

SOURCE_KEYS = {"title", "url", "cited"}


class DataFileError(ValueError):
    """A file that cannot be loaded: which file, which key, and why."""

    def __init__(self, path: Path | str, key: str, reason: str) -> None:
        self.path, self.key, self.reason = str(path), key, reason
        super().__init__(f"{path}: {key or '(file)'}: {reason}")


@dataclass(frozen=True)
class Loaded:
    code: str
    outcome: str  # created | updated | unchanged
    path: str


class FileChecker:
    """Reads one file and checks its values, failing with ``error`` (a ``DataFileError``)."""

    error: ClassVar[type[DataFileError]] = DataFileError

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, reason: str) -> DataFileError:
        return self.error(self.path, key, reason)

    def read(self) -> Any:
        """The file's YAML, or a failure saying it cannot be read or where it is not YAML."""
        try:
            return yaml.safe_load(self.path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise self.fail("", f"cannot be read ({exc.strerror})") from exc
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise self.fail("", f"is not valid YAML{where}") from exc

    def mapping(self, value: Any, key: str, allowed: set[str], required: Iterable[str]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(key, "must be a mapping of keys to values")
        for name in required:
            if name not in value:
                raise self.fail(f"{key}.{name}" if key else name, "is missing")
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            where = f"{key}.{unknown[0]}" if key else unknown[0]
            raise self.fail(where, "is not a key this file may have (a typo?)")
        return value

    def text(self, value: Any, key: str, *, blank: bool = False) -> str:
        if not isinstance(value, str) or (not blank and not value.strip()):
            raise self.fail(key, "must be text" + ("" if blank else ", not empty"))
        return value.strip()

    def sources(self, value: Any, *, required: bool = False) -> list[dict[str, str]]:
        """The file's ``sources``: a list of ``{title, url, cited}``, each with a web address;
        with ``required``, at least one."""
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            least = " of at least one" if required else ""
            raise self.fail("sources", f"must be a list{least} of {{title, url, cited}}")
        checked = []
        for index, raw in enumerate(value):
            key = f"sources[{index}]"
            item = self.mapping(raw, key, SOURCE_KEYS, ("title", "url"))
            url = self.text(item["url"], f"{key}.url")
            if not url.startswith(("https://", "http://")):
                raise self.fail(f"{key}.url", "must be a web address starting with https://")
            checked.append(
                {
                    "title": self.text(item["title"], f"{key}.title"),
                    "url": url,
                    "cited": self.text(item.get("cited") or "", f"{key}.cited", blank=True),
                }
            )
        return checked

    def whole(self, value: Any, key: str, *, minimum: int, nullable: bool = False) -> int | None:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "must be a whole number" + (" or null" if nullable else ""))
        if value < minimum:
            raise self.fail(key, f"must be at least {minimum}")
        return value


def yaml_files(paths: Iterable[str | Path], error: type[DataFileError]) -> list[Path]:
    """The files named, and the ``.yaml``/``.yml`` files under the folders named, in order;
    a name that does not exist fails with ``error``."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"})
        elif path.exists():
            found.append(path)
        else:
            raise error(path, "", "does not exist")
    return found
