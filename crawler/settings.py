# The project's one settings module (scrapy.cfg points here). Defaults are for a live
# government site: polite, robots-obeying, throttled. `unionnews crawl --delay 0` (or
# `-s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=0`) makes a crawl of the replica on 127.0.0.1 fast.

BOT_NAME = "unionnews"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identify ourselves; an archivist's crawler has nothing to hide.
USER_AGENT = "unionnews/0.1 (+https://github.com/unionnews/unionnews; archival crawler)"
ROBOTSTXT_OBEY = True

# Politeness for live sites: one request at a time per host, about a second apart, slower
# when the server slows down (AutoThrottle never goes below DOWNLOAD_DELAY).
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Settings used instead of the four above when the delay is 0 (the replica, a benchmark).
FAST_CONCURRENT_REQUESTS = 32
FAST_CONCURRENT_REQUESTS_PER_DOMAIN = 32

# Scrapy runs each response's callback output through CONCURRENT_ITEMS asyncio tasks (100 by
# default): an article yields one item and a list page about twenty requests, so 100 tasks per
# response were a quarter of the crawl's CPU (measured with bench/crawl.py). One is enough.
CONCURRENT_ITEMS = 1

# Transient errors are retried; nothing waits forever or reads an endless body.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
# Link traps: a column's walk stops after this many list pages, and one list page's links are
# followed up to this many (a CMS list page has tens); each cut is recorded in failures.
UNIONNEWS_MAX_LIST_PAGES = 1000
UNIONNEWS_MAX_LINKS_PER_PAGE = 1000

# Offsite filtering by host *and port*: a start URL's origin is the crawl's whole world.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.OriginOffsiteMiddleware": 50,
    # Scrapy's robots.txt check, fixed for requests that wait for the file together.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.SharedRobotsTxtMiddleware": 100,
    # A redirect back into its own chain or off the site becomes a recorded failure (before
    # Scrapy's RedirectMiddleware at 600 hands it to filters that would drop it silently).
    "crawler.middlewares.RedirectGuardMiddleware": 650,
    # Every response, as the server sent it (before decompression, redirects and retries act
    # on it), into WARC files: see pipelines/warc.py.
    "pipelines.warc.WarcCaptureMiddleware": 950,
}

# clean -> validate -> dedup -> store (the store batches writes into transactions).
ITEM_PIPELINES = {
    "pipelines.clean.CleanPipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedup.DedupPipeline": 300,
    # Images and attachments, downloaded and stored by content hash (before store, so its
    # close runs after the store's last batch and can link files to article ids).
    "pipelines.files.ArchiveFilesPipeline": 350,
    "pipelines.store.StorePipeline": 400,
}

# No telnet console on an unattended job.
TELNETCONSOLE_ENABLED = False

# The archive. `unionnews crawl --db` sets this; `scrapy crawl columns -s UNIONNEWS_DB=...` too.
# None means $UNIONNEWS_DB, else archive.db in the current directory.
UNIONNEWS_DB = None
# The site profile for start URLs given without a site, on hosts no bundled profile claims
# (`hosts = [...]` in a profile). None: such sites are crawled by generic extraction alone.
UNIONNEWS_PROFILE = None
# Articles per write transaction, and the longest a fetched article waits to be written (s).
UNIONNEWS_BATCH_SIZE = 200
UNIONNEWS_BATCH_SECONDS = 2.0
# WARC capture: None means warc/ beside the archive; files rotate at this size.
UNIONNEWS_WARC_DIR = None
UNIONNEWS_WARC_ENABLED = True
UNIONNEWS_WARC_MAX_BYTES = 256 * 1024 * 1024
# Build, digest and gzip WARC records in a child process (pipelines/warc.py), off the crawl's
# one busy core; False writes them in the crawl's own process.
UNIONNEWS_WARC_PROCESS = True
# Images and attachments: FILES_STORE None means files/ beside the archive; larger are refused.
FILES_STORE = None
# Images and attachments larger than this (bytes) are refused, and recorded as failures.
UNIONNEWS_FILES_MAXSIZE = 32 * 1024 * 1024
# Write batches in a child process (archive/background.py) while the crawl goes on fetching;
# False writes them in the crawl's own process.
UNIONNEWS_WRITER_PROCESS = True
# Parse article pages in a child process (crawler/spiders/parsing.py), off the crawl's one busy
# core; False parses them in the crawl's own process.
UNIONNEWS_PARSE_PROCESS = True
# A parser process that spends longer than this on the pages it was sent (seconds; 0: no limit)
# is killed; those pages are recorded as parse failures with their bytes (for `unionnews
# reparse`), and the pages waiting for it and the next go to a new parser.
UNIONNEWS_PARSE_TIMEOUT = 60
# Set by `unionnews crawl`, which takes the crawl lock itself before starting Scrapy.
UNIONNEWS_LOCK_HELD = False
# WARC files: name prefix, the operator named in each warcinfo record, and the crawl run it
# names (None: the run number the store step records).
UNIONNEWS_WARC_PREFIX = "unionnews"
UNIONNEWS_WARC_OPERATOR = "unionnews"
UNIONNEWS_RUN_ID = None
# Distributed crawls (`unionnews crawl --redis URL`, set by archive/distributed.py): the shared
# frontier's Redis, this crawler's id, and the pause between requests to one site held across
# every crawler (seconds).
UNIONNEWS_REDIS_URL = None
UNIONNEWS_WORKER_ID = None
UNIONNEWS_SHARED_DELAY = 1.0
# The largest body a distributed crawler ships to the writer (bytes; None: UNIONNEWS_FILES_MAXSIZE).
# A larger one is written as its headers with WARC-Truncated: length, and such a file is not stored.
UNIONNEWS_SHIP_MAX_BYTES = None
# More messages than this waiting on Redis for the writer (it is slow, or down) hold each crawler
# until the writer takes them, so Redis never holds a whole crawl.
UNIONNEWS_SHIP_MAX_WAITING = 2000

# Dropped duplicates are expected (the same article under two URLs), not worth a warning.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
