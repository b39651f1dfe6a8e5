"""Site profiles: data files (TOML) that describe a site, loaded and validated in one place."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROFILE_DIR = Path(__file__).parent
DEFAULT_PROFILE = "scszjggh"


class ProfileError(ValueError):
    """A profile file is missing, unreadable, or has a bad field (the message names it)."""


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    start_urls: tuple[str, ...] = ()
    list: dict[str, str] = field(default_factory=dict)
    article: dict[str, str] = field(default_factory=dict)


_STR_SECTIONS = ("list", "article")


def load_profile(name_or_path: str | Path = DEFAULT_PROFILE) -> Profile:
    """Load a profile by name (a file in crawler/profiles) or by path, and validate it."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = PROFILE_DIR / f"{name_or_path}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"no site profile {name_or_path!r} (looked for {path})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None
    return _validate(data, path)


def _validate(data: dict, path: Path) -> Profile:
    for key in ("name", "title"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ProfileError(f"{path}: field {key!r} must be a non-empty string")
    start_urls = data.get("start_urls", [])
    if not isinstance(start_urls, list) or not all(isinstance(u, str) for u in start_urls):
        raise ProfileError(f"{path}: field 'start_urls' must be a list of URLs")
    sections = {}
    for section in _STR_SECTIONS:
        values = data.get(section, {})
        if not isinstance(values, dict):
            raise ProfileError(f"{path}: [{section}] must be a table")
        for key, value in values.items():
            if not isinstance(value, str) or not value.strip():
                raise ProfileError(f"{path}: field '{section}.{key}' must be a non-empty string")
        sections[section] = dict(values)
    return Profile(data["name"], data["title"], tuple(start_urls), sections["list"], sections["article"])
