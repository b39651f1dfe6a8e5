"""The city union replica: a sister site of the provincial one, in another CMS template.

    from replica.city import build_city_site
    site = build_city_site(tmp_path)
    with ReplicaServer(site.root) as server:
        site.start_urls(server.origin), site.truth(server.origin)
"""

from .build import CitySite, build_city_site

__all__ = ["CitySite", "build_city_site"]
