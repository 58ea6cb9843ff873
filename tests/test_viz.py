"""The browser app without a browser: levers, the wrapper model, pictures, page and command.

The page is rendered with Solara's test renderer (``solara.render``), which builds the widgets in
this process, so a click on Step runs the same code as in the browser.
"""

from __future__ import annotations

import io
import re
import socket
import typing
from pathlib import Path

import numpy as np
import pytest

solara = pytest.importorskip(
    "solara", reason="the viz extra is not installed (pip install -e '.[viz]')"
)

import ipyvuetify as v  # noqa: E402
from PIL import Image  # noqa: E402

from analysis.app import session  # noqa: E402
from analysis.app.comparison import Comparison, Settings, load_cached, trust_edges  # noqa: E402
from analysis.app.drawing import NetworkPicture, SeriesPicture, nice_limits  # noqa: E402
from analysis.app.levers import levers_for, make_lever, override_texts  # noqa: E402
from analysis.style import ROLE_STYLE, variant_colors  # noqa: E402
from simulation.mechanisms.consensus import ConsensusParams  # noqa: E402
from simulation.mechanisms.exercises import ExerciseParams  # noqa: E402
from simulation.model import AllianceModel  # noqa: E402
from simulation.scenario import resolve  # noqa: E402
from tests.clitools import cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEACHING = ROOT / "scenarios" / "teaching.yaml"
NATO = ROOT / "scenarios" / "nato_2024.yaml"


def field_meta(cls, name):
    return {f.name: f for f in __import__("dataclasses").fields(cls)}[name].metadata


# ----------------------------------------------------------------------------- levers


def test_levers_come_from_the_schema_metadata():
    levers = {lever.path: lever for lever in levers_for(load_cached(NATO))}
    # every field a nato_2024 variant changes is offered
    for path in (
        "consensus.rule",
        "exercises.enabled",
        "exercises.tempo_per_year",
        "exercises.size",
        "burden.pledge_pressure",
        "presence.enabled",
        "information.stratcom_level",
    ):
        assert path in levers
    rule = levers["consensus.rule"]
    assert rule.kind == "choice"
    assert rule.choices == typing.get_args(typing.get_type_hints(ConsensusParams)["rule"])
    tempo = levers["exercises.tempo_per_year"]
    meta = field_meta(ExerciseParams, "tempo_per_year")
    assert (tempo.kind, tempo.lo, tempo.hi, tempo.unit, tempo.doc) == (
        "float",
        meta["lo"],
        meta["hi"],
        meta["unit"],
        meta["doc"],
    )
    assert levers["exercises.enabled"].kind == "switch"


def test_an_integer_lever_takes_the_schema_bounds():
    meta = field_meta(ExerciseParams, "size")
    lever = make_lever("exercises.size", 10)
    assert (lever.kind, lever.lo, lever.hi, lever.step) == ("int", meta["lo"], meta["hi"], 1)
    assert make_lever("exercises.nonexistent", 1) is None
    assert make_lever("nations", ()) is None


def test_override_texts_are_valid_set_overrides():
    texts = override_texts({"exercises.enabled": False, "consensus.rule": "qualified_majority"})
    assert texts == ["exercises.enabled=false", 'consensus.rule="qualified_majority"']
    resolved = resolve(load_cached(TEACHING), "baseline", texts)
    assert resolved.exercises.enabled is False
    assert resolved.consensus.rule == "qualified_majority"


# ----------------------------------------------------------------------------- wrapper model


def plain_run(variant, seed, steps, overrides=()):
    model = AllianceModel(resolve(load_cached(TEACHING), variant, overrides), seed=seed)
    for _ in range(steps):
        model.step()
    return model.datacollector.get_model_vars_dataframe()


def test_each_variant_matches_its_own_run_on_the_same_seed():
    comp = Comparison(Settings(str(TEACHING), "baseline", "qualified_majority", seed=11))
    for _ in range(12):
        comp.step()
    history = comp.history()
    a = history.xs("A", axis=1, level=1)
    b = history.xs("B", axis=1, level=1)
    np.testing.assert_array_equal(a.to_numpy(), plain_run("baseline", 11, 12).to_numpy())
    np.testing.assert_array_equal(b.to_numpy(), plain_run("qualified_majority", 11, 12).to_numpy())
    assert comp.a.steps == comp.b.steps == comp.steps == 12


def test_same_variant_twice_gives_identical_twins():
    comp = Comparison(Settings(str(TEACHING), "baseline", "baseline", seed=3))
    for _ in range(10):
        comp.step()
    assert (comp.metrics_table()["B - A"] == 0).all()


def test_levers_reach_b_only():
    settings = Settings(
        str(TEACHING), "baseline", "baseline", seed=5, levers={"exercises.enabled": False}
    )
    comp = Comparison(settings)
    for _ in range(12):
        comp.step()
    table = comp.metrics_table()
    assert table.loc["exercises (total)", "A"] > 0
    assert table.loc["exercises (total)", "B"] == 0
    np.testing.assert_array_equal(
        comp.history().xs("A", axis=1, level=1).to_numpy(), plain_run("baseline", 5, 12).to_numpy()
    )
    np.testing.assert_array_equal(
        comp.history().xs("B", axis=1, level=1).to_numpy(),
        plain_run("baseline", 5, 12, ["exercises.enabled=false"]).to_numpy(),
    )


def test_stops_at_the_horizon():
    comp = Comparison(Settings(str(TEACHING), "baseline", "no_exercises", seed=1))
    for _ in range(comp.horizon):
        assert comp.running
        comp.step()
    assert not comp.running


def test_event_log_is_newest_first_and_only_the_shown_kinds():
    comp = Comparison(Settings(str(TEACHING), "baseline", "qualified_majority", seed=2))
    for _ in range(15):
        comp.step()
    events = comp.events(limit=1000)
    assert len(events) > 0
    assert (np.diff(events["step"].to_numpy()) <= 0).all()
    assert set(events["event"]) <= {
        "proposal",
        "exercise",
        "challenge",
        "crisis",
        "invitation",
        "accession",
    }
    assert set(events["variant"]) == {"A", "B"}


def test_trust_edges_by_hand():
    trust = np.array([[1.0, 0.2, 0.9], [0.4, 1.0, 0.1], [0.7, 0.3, 1.0]])
    edges = trust_edges(trust, np.ones(3, dtype=bool), top=2)
    # pair means: (0,1) 0.3, (0,2) 0.8, (1,2) 0.2 -> the two strongest
    np.testing.assert_allclose(edges, [[0, 2, 0.8], [0, 1, 0.3]])
    assert trust_edges(trust, np.array([True, False, False])).shape == (0, 3)


def test_nice_limits():
    assert nice_limits(np.array([0.71, 0.76])) == (0.7, 0.8)
    # a value on the grid gets a margin (a flat zero line is not drawn on the axis edge)
    assert nice_limits(np.array([-0.01, 0.0])) == (-0.05, 0.05)
    assert nice_limits(np.array([np.nan])) == (0.0, 1.0)


# ----------------------------------------------------------------------------- pictures


def pixels_near(png: bytes, hex_color: str, tol: int = 40) -> int:
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    target = np.array([int(hex_color[k : k + 2], 16) for k in (1, 3, 5)])
    return int((np.abs(rgb - target).sum(axis=-1) < tol).sum())


def test_pictures_draw_the_data_in_the_shared_colours():
    comp = Comparison(Settings(str(NATO), "baseline", "qualified_majority", seed=7))
    colors = variant_colors(comp.names)
    series = SeriesPicture(
        comp.names, {"A": colors["baseline"], "B": colors["qualified_majority"]}, comp.horizon
    )
    empty = series.draw(comp.history())
    for _ in range(24):
        comp.step()
    png = series.draw(comp.history())
    for color in colors.values():  # both lines drawn (A may hide under B where they agree)
        assert pixels_near(png, color) > pixels_near(empty, color) + 30
    net = NetworkPicture(comp.a.state.iso3, comp.layout, color=colors["baseline"])
    png = net.draw(comp.a.state.trust, comp.a.state.role, [], title="A")
    members, partners = ROLE_STYLE["member"][0], ROLE_STYLE["partner"][0]
    assert pixels_near(png, members) > 500 and pixels_near(png, partners) > 200
    challenged = net.draw(
        comp.a.state.trust, comp.a.state.role, [{"actor": "GEO", "outcome": "conceded"}], title="A"
    )
    assert pixels_near(challenged, "#C00000") > pixels_near(png, "#C00000") + 100


# ----------------------------------------------------------------------------- page


@pytest.fixture
def page_env(monkeypatch):
    monkeypatch.setenv(session.ENV_SCENARIO, str(TEACHING))
    monkeypatch.setenv(session.ENV_VARIANTS, "baseline,qualified_majority")
    monkeypatch.setenv(session.ENV_SEED, "4")
    from analysis.app.page import Page

    @solara.component
    def App():  # the server wraps every page in an AppLayout, which shows the sidebar
        with solara.AppLayout():
            Page()

    return App


def click(rc, label):
    rc.find(v.Btn, children=[label]).widget.click()


def walk(widget):
    """The widget and every widget under it (children, and the items of a grid layout)."""
    yield widget
    slots = [c for slot in getattr(widget, "v_slots", None) or () for c in slot["children"]]
    for child in [
        *(getattr(widget, "children", None) or ()),
        *(getattr(widget, "items", None) or ()),
        *slots,
    ]:
        if hasattr(child, "keys"):  # a widget, not a string
            yield from walk(child)


def view_part(rc, css_class):
    """The one widget of the page's views with this CSS class."""
    grid = rc.find(solara.widgets.GridLayout).widget
    found = [
        w
        for w in walk(grid)
        if css_class in (getattr(w, "attributes", None) or {}).get("class", "").split()
        or css_class in (getattr(w, "class_", None) or "").split()
        or css_class in getattr(w, "_dom_classes", ())
    ]
    assert len(found) == 1, f"{css_class}: {len(found)} matches"
    return found[0]


def steps_text(rc):
    return view_part(rc, "alliance-steps").unsafe_innerHTML


def test_page_renders_and_steps_both_variants(page_env):
    _, rc = solara.render(page_env(), handle_error=False)
    assert "Step 0 (A) / 0 (B)" in steps_text(rc)
    before = {label: view_part(rc, f"alliance-network-img-{label}").value for label in "AB"}
    for _ in range(3):
        click(rc, "Step")
    assert "Step 3 (A) / 3 (B)" in steps_text(rc)
    for label in "AB":
        after = view_part(rc, f"alliance-network-img-{label}").value
        assert after[:8] == b"\x89PNG\r\n\x1a\n" and after != before[label]
    assert view_part(rc, "alliance-timeseries-img").value[:4] == b"\x89PNG"
    table = view_part(rc, "alliance-metrics-table").unsafe_innerHTML
    assert "cohesion" in table and "B - A" in table
    rc.close()


def metric_row(rc, name):
    """``(A, B, B - A)`` of one metric, read from the rendered table."""
    text = view_part(rc, "alliance-metrics-table").unsafe_innerHTML
    row = re.search(rf"<th>{re.escape(name)}</th>((?:\s*<td>[^<]*</td>){{3}})", text)
    return tuple(float(x) for x in re.findall(r"<td>([^<]*)</td>", row.group(1)))


def test_a_lever_reaches_b_only_after_reset(page_env):
    _, rc = solara.render(page_env(), handle_error=False)
    switch = view_part(rc, "alliance-lever-exercises.enabled").children[0]
    switch.v_model = False  # what a click on the checkbox does
    applied = view_part(rc, "alliance-levers-applied").children[0]
    assert applied.startswith("Changed: press Reset")
    click(rc, "Reset")
    for _ in range(12):
        click(rc, "Step")
    a, b, diff = metric_row(rc, "exercises (total)")
    assert a > 0 and b == 0 and diff == -a
    assert "exercises.enabled=False" in view_part(rc, "alliance-levers-applied").children[0]
    rc.close()


def test_two_sessions_do_not_share_a_model(page_env):
    _, first = solara.render(page_env(), handle_error=False)
    _, second = solara.render(page_env(), handle_error=False)
    for _ in range(2):
        click(first, "Step")
    assert "Step 2 (A) / 2 (B)" in steps_text(first)
    assert "Step 0 (A) / 0 (B)" in steps_text(second)
    first.close()
    second.close()


# ----------------------------------------------------------------------------- command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_one_line_error(proc, *fragments):
    detail = f"\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert proc.returncode == 2, detail
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("alliance-sim: error: "), detail
    for fragment in fragments:
        assert fragment in lines[0], detail
    assert "open http" not in proc.stdout, detail  # no server was started


def test_viz_bad_variant_exits_2_before_any_server(tmp_path):
    proc = cli(
        "viz",
        TEACHING,
        "--variants",
        "baseline,no_exercise",
        "--port",
        free_port(),
        cwd=tmp_path,
        timeout=60,
    )
    assert_one_line_error(
        proc, str(TEACHING), "unknown variant 'no_exercise'", "did you mean no_exercises?"
    )


def test_viz_missing_scenario_exits_2_like_run(tmp_path):
    path = tmp_path / "nowhere.yaml"
    viz = cli("viz", path, "--port", free_port(), cwd=tmp_path, timeout=60)
    run = cli("run", path, cwd=tmp_path, timeout=60)
    assert_one_line_error(viz, f"{path}: file not found")
    assert viz.stderr == run.stderr


def test_viz_needs_two_variants(tmp_path):
    proc = cli("viz", TEACHING, "--variants", "baseline", cwd=tmp_path, timeout=60)
    assert_one_line_error(proc, "--variants", "expected two variants, got 1")


def test_viz_binds_loopback_by_default():
    from cli.main import build_parser

    args = build_parser().parse_args(["viz", str(TEACHING)])
    assert args.host == "127.0.0.1"
    assert build_parser().parse_args(["viz", "--host", "0.0.0.0"]).host == "0.0.0.0"
