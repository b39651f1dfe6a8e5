"""Site profiles: data files (TOML) that describe a site, loaded and validated in one place."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from cssselect import GenericTranslator, SelectorError
from lxml import etree

PROFILE_DIR = Path(__file__).parent
DEFAULT_PROFILE = "scszjggh"


class ProfileError(ValueError):
    """A profile file is missing, unreadable, or has a bad field (the message names it)."""


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    start_urls: tuple[str, ...] = ()
    #: Host names (host or host:port) this profile claims: a crawl with no --site on one of
    #: them uses it; every other host is crawled generically.
    hosts: tuple[str, ...] = ()
    list: dict[str, str] = field(default_factory=dict)
    article: dict[str, str] = field(default_factory=dict)


#: The fields a profile may have; any other is a typo and is refused by name.
FIELDS = ("name", "title", "start_urls", "hosts", "list", "article")
SECTION_KEYS = {
    "list": ("article_links", "next_page_text", "next_page", "page_script"),
    "article": ("title", "info", "body", "breadcrumb", "editor"),
}
#: [list]/[article] values that are CSS selectors (checked to compile on load).
CSS_KEYS = {"list.article_links", "list.next_page", "article.title", "article.info", "article.body",
            "article.breadcrumb", "article.editor"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@lru_cache(maxsize=4096)
def css_xpath(css: str) -> etree.XPath:
    """A CSS selector compiled to XPath once (profile selectors, and candidates `unionnews profile`
    tries); raises cssselect's SelectorError for one that is not valid CSS."""
    return etree.XPath(GenericTranslator().css_to_xpath(css))


@lru_cache(maxsize=256)
def css_xpath_within(css: str) -> etree.XPath:
    """A CSS selector as XPath over an element's descendants only: the second part of `A B` run
    inside each element A matched (crawler.parse runs a profile's `div.article` once a page)."""
    return etree.XPath(GenericTranslator().css_to_xpath(css, prefix="descendant::"))


#: A compound selector without combinators or attribute tests: a tag or none, then classes and
#: ids (`div.article`, `div#zoom`, `h1`, `.title`), in ASCII.
_COMPOUND = re.compile(r"(?P<tag>[a-z][a-z0-9]*)?(?P<names>(?:[.#][A-Za-z_][A-Za-z0-9_-]*)*)", re.ASCII)
#: XPath's normalize-space splits a class attribute at these, and only these.
_XML_SPACES = str.maketrans("\t\r\n", "   ")

#: The elements a selector matches under an element, in document order.
Matcher = Callable[[etree._Element], list]


@dataclass(frozen=True)
class _Compound:
    """A compound selector tested in Python over a tag walk (lxml's, in C): what its XPath from
    cssselect finds, without the XPath's string building for every element's class."""

    tag: str | None
    classes: tuple[str, ...]
    ids: tuple[str, ...]
    with_self: bool

    def __call__(self, root: etree._Element) -> list:
        walk = (root.iter if self.with_self else root.iterdescendants)(self.tag or etree.Element)
        if self.classes:  # the first class's name in the attribute first: most elements fail there
            name = self.classes[0]
            return [el for el in walk if name in (el.get("class") or "") and self.fits(el)]
        if self.ids:
            return [el for el in walk if el.get("id") == self.ids[0] and self.fits(el)]
        return list(walk)

    def fits(self, el: etree._Element) -> bool:
        """Each class a whole word of the class attribute, each id the id attribute."""
        if self.classes:
            value = el.get("class")
            if value is None or not all(name in value for name in self.classes):
                return False
            words = value.translate(_XML_SPACES).split(" ")
            if not all(name in words for name in self.classes):
                return False
        return all(el.get("id") == name for name in self.ids)


def _compound(css: str, with_self: bool) -> _Compound | None:
    found = _COMPOUND.fullmatch(css.strip())
    if found is None or not found[0]:
        return None
    names = re.findall(r"[.#][^.#]+", found["names"])
    return _Compound(found["tag"], tuple(n[1:] for n in names if n[0] == "."),
                     tuple(n[1:] for n in names if n[0] == "#"), with_self)


@lru_cache(maxsize=4096)
def css_matcher(css: str) -> Matcher:
    """What css_xpath(css) finds in an element and its descendants, by a tag walk and attribute
    tests when `css` is one compound selector (a tenth of the XPath's cost on a page), else by
    the XPath."""
    return _compound(css, with_self=True) or css_xpath(css)


@lru_cache(maxsize=256)
def css_matcher_within(css: str) -> Matcher:
    """What css_xpath_within(css) finds: the same, over an element's descendants only."""
    return _compound(css, with_self=False) or css_xpath_within(css)


def load_profile(name_or_path: str | Path = DEFAULT_PROFILE) -> Profile:
    """Load a profile by name (a file in crawler/profiles) or by path, and validate it."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = PROFILE_DIR / f"{name_or_path}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        known = ", ".join(profile_names()) or "none"
        raise ProfileError(f"no site profile {str(name_or_path)!r} (looked for {path}; bundled: {known})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None
    return _validate(data, path)


def profile_names() -> list[str]:
    """Names of the bundled site profiles (the .toml files in crawler/profiles), sorted."""
    return sorted(p.stem for p in PROFILE_DIR.glob("*.toml"))


def list_profiles() -> list[Profile]:
    """Every bundled site profile, loaded and validated (a bad one raises ProfileError)."""
    return [load_profile(name) for name in profile_names()]


def claiming(host: str) -> Profile | None:
    """The bundled profile that claims a host (host:port, or the host alone), if any."""
    bare = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    for profile in list_profiles():
        if host in profile.hosts or bare in profile.hosts:
            return profile
    return None


def generic_profile(name: str) -> Profile:
    """A profile with no selectors: for a site that has no profile file, named after its host.

    The spider then finds article links and pagers, and the parser every field, by generic
    extraction alone.
    """
    return Profile(name, name)


def _validate(data: dict, path: Path) -> Profile:
    for key in data:
        if key not in FIELDS:
            raise ProfileError(f"{path}: unknown field {key!r} (a profile has {', '.join(FIELDS)})")
    for key in ("name", "title"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ProfileError(f"{path}: field {key!r} must be a non-empty string")
    if not _NAME.match(data["name"]):
        raise ProfileError(f"{path}: field 'name' must be lower-case letters, digits, - or _ "
                           f"(it is the site column's value), not {data['name']!r}")
    start_urls = _start_urls(data.get("start_urls", []), path)
    sections = {section: _section(data, section, path) for section in SECTION_KEYS}
    hosts = data.get("hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(h, str) and h.strip() for h in hosts):
        raise ProfileError(f"{path}: field 'hosts' must be a list of host names")
    return Profile(data["name"], data["title"], start_urls, tuple(h.strip().lower() for h in hosts),
                   sections["list"], sections["article"])


def _start_urls(value: object, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ProfileError(f"{path}: field 'start_urls' must be a list of URLs")
    for index, url in enumerate(value):
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise ProfileError(f"{path}: field 'start_urls[{index}]' must be an http(s) URL, not {url!r}")
    return tuple(value)


def _section(data: dict, section: str, path: Path) -> dict[str, str]:
    values = data.get(section, {})
    if not isinstance(values, dict):
        raise ProfileError(f"{path}: [{section}] must be a table")
    for key, value in values.items():
        field_name = f"{section}.{key}"
        if key not in SECTION_KEYS[section]:
            raise ProfileError(f"{path}: unknown field {field_name!r} "
                               f"([{section}] has {', '.join(SECTION_KEYS[section])})")
        if not isinstance(value, str) or not value.strip():
            raise ProfileError(f"{path}: field {field_name!r} must be a non-empty string")
        if field_name in CSS_KEYS:
            try:
                GenericTranslator().css_to_xpath(value)
            except SelectorError as exc:
                raise ProfileError(f"{path}: field {field_name!r} is not a valid CSS selector "
                                   f"({value!r}: {exc})") from None
    return dict(values)
