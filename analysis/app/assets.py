"""Solara's front-end files on a machine without internet (``alliance-sim viz --prepare-assets``).

Solara's page loads its JavaScript and CSS from a public CDN through its own server, which keeps
a copy in a cache directory (``<prefix>/share/solara/cdn``, or ``$SOLARA_ASSETS_PROXY_CACHE_DIR``)
and serves from it once filled. Without internet the page waits forever on "Loading app". These
files are npm packages, and the npm registry is often reachable where the CDN is not, so this
module fetches each package the page needs with ``npm pack`` at the exact version the installed
Solara asks for (read from Solara's own templates, so an upgrade of Solara is followed) and
unpacks it where the cache expects it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

PAGE_PACKAGES = ("@widgetti/vue-grid-layout", "requirejs", "font-awesome")
"""npm packages the page loads besides the Vuetify app (whose name depends on ipyvuetify)."""

_VERSIONED = re.compile(r"((?:@[\w-]+/)?[\w.-]+)@(\d+\.\d+\.\d+(?:-[\w.]+)?)/")


class AssetsError(RuntimeError):
    """The front-end files could not be fetched (no npm, registry unreachable, ...)."""


def vuetify_app() -> str:
    """The Solara Vuetify app package matching the installed ipyvuetify."""
    from solara.util import IPYVUETIFY_V3

    return "@widgetti/solara-vuetify3-app" if IPYVUETIFY_V3 else "@widgetti/solara-vuetify-app"


def required_packages() -> dict[str, str]:
    """Package name -> exact version, as referenced by the installed Solara's front end."""
    import solara

    root = Path(solara.__file__).parent
    sources = [
        root / "server" / "templates" / "solara.html.j2",
        root / "server" / "settings.py",
        root / "widgets" / "vue" / "gridlayout.vue",
    ]
    wanted = {vuetify_app(), *PAGE_PACKAGES}
    found: dict[str, str] = {}
    for source in sources:
        for name, version in _VERSIONED.findall(source.read_text(encoding="utf-8")):
            if name in wanted:
                found[name] = version
    return found


def cache_dir() -> Path:
    """Solara's CDN cache directory (its setting, which honours the environment)."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def missing(packages: dict[str, str], cache: Path) -> dict[str, str]:
    """The packages not yet unpacked in ``cache``."""
    return {n: v for n, v in packages.items() if not (cache / f"{n}@{v}" / "package.json").exists()}


def prepare(cache: Path | None = None, log=print) -> list[str]:
    """Fetch and unpack every missing package; return the ``name@version`` fetched.

    Raises :class:`AssetsError` when npm is missing or a package cannot be fetched; packages
    already unpacked stay, and a package is moved into place only once whole.
    """
    cache = cache or cache_dir()
    todo = missing(required_packages(), cache)
    if not todo:
        return []
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsError("npm not found; install Node.js (npm) or use a machine with internet")
    fetched = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, version in todo.items():
            spec = f"{name}@{version}"
            log(f"fetching {spec} (npm pack)")
            try:
                out = subprocess.run(
                    [npm, "pack", spec, "--silent", "--pack-destination", tmp],
                    capture_output=True,
                    text=True,
                    timeout=300,
                    check=True,
                )
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
                detail = getattr(exc, "stderr", "") or str(exc)
                raise AssetsError(f"npm pack {spec} failed: {detail.strip()[-300:]}") from None
            tarball = Path(tmp) / out.stdout.strip().splitlines()[-1]
            staging = Path(tmp) / "unpacked" / spec
            with tarfile.open(tarball) as archive:
                archive.extractall(staging, filter="data")
            target = cache / spec
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(staging / "package"), target)
            fetched.append(spec)
    return fetched
