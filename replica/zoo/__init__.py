"""The template zoo: sister union sites, one per Chinese government CMS family, each written from
that family's real markup (never from the parser's word lists), with its truth beside it.

    from replica.zoo import FAMILIES, build_zoo_site
    site = build_zoo_site("hanweb", tmp_path)     # www/, routes.json, truth.json
    with ReplicaServer(site.root) as server:
        site.start_urls(server.origin)            # the columns' list pages
        site.truth(server.origin)                 # every article's record
"""

from __future__ import annotations

import importlib
from pathlib import Path

from .base import ZooSite

#: One module per CMS family, replica/zoo/<name>.py, each with build(out_dir, seed=0).
FAMILIES = ("trs", "hanweb", "dedecms", "phpcms", "empirecms", "sitefactory", "jeecms", "vsb", "wordpress")


def build_zoo_site(family: str, out_dir: Path, seed: int = 0) -> ZooSite:
    """Build one family's zoo site into `out_dir` (same seed, same bytes)."""
    if family not in FAMILIES:
        raise ValueError(f"no zoo family {family!r} (families: {', '.join(FAMILIES)})")
    return importlib.import_module(f"{__name__}.{family}").build(Path(out_dir), seed=seed)


__all__ = ["FAMILIES", "ZooSite", "build_zoo_site"]
