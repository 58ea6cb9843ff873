"""``alliance-sim viz``: two variants of a scenario side by side in the browser (Mesa SolaraViz).

The scenario, variants and seed are checked before any server starts (bad input: the one-line
error and exit code 2, as ``run``). Then Solara's front-end files are made available offline if
they are missing (``npm pack``; see :mod:`analysis.app.assets`), the URL is printed and the
server runs on 127.0.0.1 (``--host`` to serve other machines) until Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from pathlib import Path

from cli.common import EXIT_BAD_INPUT, add_debug, name_list, non_negative_int
from simulation.errors import ScenarioError

DEFAULT_PORT = 8765


def port_number(text: str) -> int:
    """A TCP port from 1 to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 1 to 65535, got {value}")
    return value


def register(subparsers) -> None:
    """Add the ``viz`` parser."""
    p = subparsers.add_parser("viz", help="compare two variants side by side in the browser")
    p.add_argument(
        "scenario", type=Path, nargs="?", help="scenario YAML file (default: choose on the page)"
    )
    p.add_argument(
        "--variants",
        type=name_list,
        metavar="A,B",
        help="two variants of the scenario (default: baseline and the first other)",
    )
    p.add_argument("--seed", type=non_negative_int, help="root seed (default: the file's)")
    p.add_argument("--port", type=port_number, default=DEFAULT_PORT, help="default: %(default)s")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s, this machine)"
    )
    p.add_argument(
        "--prepare-assets",
        action="store_true",
        help="only fetch Solara's front-end files for offline use (npm pack), then exit",
    )
    add_debug(p)
    p.set_defaults(handler=handle)


def check(args: argparse.Namespace) -> tuple[str, str, str, int]:
    """The scenario file, variants A and B and the seed; ScenarioError if any is bad."""
    from analysis.app.comparison import default_variants, load_cached
    from analysis.app.session import shipped_scenarios
    from simulation.scenario import resolve

    if args.scenario is None:
        shipped = shipped_scenarios()
        if not shipped:
            raise ScenarioError(
                "no scenario given and no shipped scenarios found",
                field="SCENARIO",
                hint="give a scenario file, e.g. alliance-sim viz scenarios/nato_2024.yaml",
            )
        print("no scenario given; the page offers the shipped ones:")
        for path in shipped:
            print(f"  {path.name}")
        path = str(shipped[0])
    else:
        path = str(args.scenario)
    base = load_cached(path)
    variants = list(args.variants) if args.variants else list(default_variants(base))
    if len(variants) != 2:
        raise ScenarioError(
            f"expected two variants, got {len(variants)}",
            file=path,
            field="--variants",
            hint="e.g. --variants baseline,qualified_majority",
        )
    for name in variants:
        resolve(base, name)  # raises the located error of an unknown or invalid variant
    seed = base.seed if args.seed is None else args.seed
    return path, variants[0], variants[1], seed


def handle(args: argparse.Namespace) -> int:
    """Check the input, prepare the front end, serve the page until Ctrl-C."""
    try:
        import solara  # noqa: F401
    except ImportError:
        print(
            "alliance-sim: error: viz needs the viz extra; install it with: "
            "pip install -e '.[viz]'",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    from analysis.app import assets

    if args.prepare_assets:
        return prepare_assets(assets)
    scenario, variant_a, variant_b, seed = check(args)
    try:
        fetched = assets.prepare(log=lambda m: print(m, file=sys.stderr))
        if fetched:
            print(f"front-end files ready in {assets.cache_dir()}", file=sys.stderr)
    except assets.AssetsError as exc:
        print(
            f"alliance-sim: warning: {exc}; without internet the page will not load",
            file=sys.stderr,
        )
    os.environ.update(
        {
            "ALLIANCE_SIM_VIZ_SCENARIO": scenario,
            "ALLIANCE_SIM_VIZ_VARIANTS": f"{variant_a},{variant_b}",
            "ALLIANCE_SIM_VIZ_SEED": str(seed),
        }
    )
    return serve(args.host, args.port, f"{scenario}: {variant_a} vs {variant_b}, seed {seed}")


def prepare_assets(assets) -> int:
    """``--prepare-assets``: fetch what is missing and say where it is."""
    try:
        fetched = assets.prepare()
    except assets.AssetsError as exc:
        print(f"alliance-sim: error: {exc}", file=sys.stderr)
        return 1
    state = f"fetched {', '.join(fetched)}" if fetched else "already complete"
    print(f"Solara front-end files {state}: {assets.cache_dir()}")
    return 0


def serve(host: str, port: int, what: str) -> int:
    """Run Solara's server (uvicorn) in this process until Ctrl-C; return 0 after a clean stop."""
    import uvicorn

    os.environ["SOLARA_APP"] = "analysis.app.page"
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(port)
    config = uvicorn.Config(
        "solara.server.starlette:app", host=host, port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host
    print(f"alliance-sim viz: {what}")
    print(f"open http://{shown}:{port}/  (Ctrl-C to stop)", flush=True)
    # Solara warns about Mesa's hook order and about cookies on plain http (both harmless here).
    warnings.filterwarnings("ignore", category=UserWarning, module=r"solara\.")
    with contextlib.suppress(KeyboardInterrupt):
        server.run()  # on Ctrl-C: stops accepting, closes sessions, then re-raises the signal
    if not server.started:
        print(f"alliance-sim: error: could not serve on {host}:{port}", file=sys.stderr)
        return 1
    print("alliance-sim viz: stopped", file=sys.stderr)
    return 0
