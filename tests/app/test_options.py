"""One crawl-options object, resolved once: flags, then the config file, then the environment,
then the defaults; and turned into Scrapy settings in one place."""

from __future__ import annotations

import pytest

from archive.options import DEFAULT_DB, CrawlOptions

SITES = {"http://h/a/": None}


@pytest.mark.parametrize(("flag", "config", "env", "expected"), [
    ("flag.db", {"db": "config.db"}, {"UNIONNEWS_DB": "env.db"}, "flag.db"),
    (None, {"db": "config.db"}, {"UNIONNEWS_DB": "env.db"}, "config.db"),
    (None, {}, {"UNIONNEWS_DB": "env.db"}, "env.db"),
    (None, {}, {}, DEFAULT_DB),
])
def test_the_archive_is_chosen_by_flag_then_config_then_environment(flag, config, env, expected) -> None:
    assert CrawlOptions.resolve(SITES, config, env, db=flag).db == expected


def test_delay_and_warc_folder_follow_the_same_order() -> None:
    chosen = CrawlOptions.resolve(SITES, {"delay": 2.0}, {"UNIONNEWS_WARC_DIR": "/w"})
    assert (chosen.delay, chosen.warc_dir) == (2.0, "/w")
    assert CrawlOptions.resolve(SITES, {"delay": 2.0}, {}, delay=0.0).delay == 0.0  # 0 is a flag, not "unset"


def test_options_become_scrapy_settings_in_one_place() -> None:
    fast = CrawlOptions(SITES, delay=0, warc_dir="/w", settings={"LOG_LEVEL": "DEBUG"}).scrapy_settings()
    assert (fast["DOWNLOAD_DELAY"], fast["AUTOTHROTTLE_ENABLED"], fast["UNIONNEWS_WARC_DIR"]) == (0, False, "/w")
    assert fast["LOG_LEVEL"] == "DEBUG"  # explicit settings win
    polite = CrawlOptions(SITES, delay=2.5, log_file="crawl.log").scrapy_settings()
    assert (polite["DOWNLOAD_DELAY"], polite["LOG_FILE"], polite["LOG_LEVEL"]) == (2.5, "crawl.log", "INFO")
    assert "DOWNLOAD_DELAY" not in CrawlOptions(SITES).scrapy_settings()  # the settings module's polite default


def test_options_travel_to_a_child_process_as_json() -> None:
    chosen = CrawlOptions({"http://h/a/": "cdzgh", "http://h/b/": None}, "a.db", full=True, delay=0.5)
    assert CrawlOptions.from_json(chosen.to_json()) == chosen
