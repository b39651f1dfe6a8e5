"""Which site profile each start URL is crawled with, and so which `site` its articles get.

A crawl may cover several sites at once (the union site and its sister sites, each in its own
CMS template). Each start URL names its site: a bundled profile (`cdzgh`), a profile file
(`path/to/site.toml`), or `generic` for a site that has no profile at all, which is then
crawled by generic link, pager and field extraction and archived under its host name.
Sites are told apart by host:port, so all columns on one host share one profile.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.profiles import Profile, ProfileError, claiming, generic_profile, list_profiles, load_profile

#: The --site value for a site without a profile.
GENERIC = "generic"
#: The --site value for every bundled profile that lists its own start URLs.
ALL = "all"


def split_start_urls(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """Start URLs from a spider argument: a list, or one string separated by commas/spaces."""
    parts = value if isinstance(value, (list, tuple)) else re.split(r"[\s,]+", value or "")
    urls = [p.strip() for p in parts if p and p.strip()]
    for url in urls:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ValueError(f"start URL {url!r} is not an http(s) URL")
    return list(dict.fromkeys(urls))


def netloc(url: str) -> str:
    """host:port of a URL, lower-cased: the unit a site profile applies to."""
    return urlsplit(url).netloc.lower()


def profile_for(site: str | None, url: str, default: str | None = None) -> Profile:
    """The profile a start URL is crawled with: `site` (a name, a .toml path, or `generic`);
    without one, the bundled profile that claims the URL's host, else `default`
    (UNIONNEWS_PROFILE) when set, else generic extraction named after the host."""
    if site == GENERIC:
        return generic_profile(netloc(url))
    if site:
        return load_profile(site)
    claimed = claiming(netloc(url))
    if claimed is not None:
        return claimed
    return load_profile(default) if default else generic_profile(netloc(url))


def profiles_by_host(sites: dict[str, str | None], default: str | None = None) -> dict[str, Profile]:
    """host:port -> Profile for every start URL; raises ProfileError when one host is given
    two different sites or a profile cannot be loaded."""
    found: dict[str, Profile] = {}
    for url, site in sites.items():
        profile = profile_for(site, url, default)
        host = netloc(url)
        if host in found and found[host].name != profile.name:
            raise ProfileError(f"{host} is given two sites ({found[host].name} and {profile.name}); "
                               "one host is one site")
        found[host] = profile
    return found


def start_urls_of(names: list[str]) -> dict[str, str]:
    """start URL -> site for `--site NAME...` without --start-url: the profiles' own start_urls
    (`all` expands to every bundled profile that lists some)."""
    profiles = [p for p in list_profiles() if p.start_urls] if ALL in names else [
        load_profile(name) for name in names if name != GENERIC]
    if GENERIC in names:
        raise ProfileError("--site generic needs --start-url (a site without a profile has no columns to start from)")
    sites = {url: profile.name for profile in profiles for url in profile.start_urls}
    if not sites:
        named = "no bundled profile lists" if ALL in names else "profile " + ", ".join(names) + " lists no"
        raise ProfileError(f"{named} start_urls: give the columns with --start-url")
    return sites
