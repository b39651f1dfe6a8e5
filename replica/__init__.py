"""A replica of the union site, generated and served on 127.0.0.1 for tests, benchmarks and the demo.

    from replica import build_site, ReplicaServer
    site = build_site(tmp_path)                 # 工会新闻/通知公告/基层动态, 310 articles, the seed
    with ReplicaServer(site.root) as server:
        start_urls = site.start_urls(server.origin)
        truth = site.truth(server.origin)       # what a parser must read from every page
        server.requests                         # what a crawler fetched
"""

from .build import build_site
from .server import LoggedRequest, ReplicaServer
from .site import SEED_PATH, Site, SiteError

__all__ = ["build_site", "ReplicaServer", "LoggedRequest", "Site", "SiteError", "SEED_PATH"]
