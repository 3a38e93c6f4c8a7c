"""Every benchmark in smoke mode (its smallest sizes), so the benchmarks never rot: each still
runs to the end and reports the figures it promises, with sane values. No timing thresholds:
the figures depend on the machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import MODULES, result_name, run_one

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "postgresql" if os.environ.get("TEST_DATABASE") == "postgresql" else "sqlite"


async def smoke(name: str) -> dict:
    """Run one benchmark module in smoke mode on the test database; fail on a reported error."""
    import importlib

    module = importlib.import_module(f"bench.{name}")
    assert f"bench.{name}" in MODULES, "every benchmark module is listed in the runner"
    figures = await run_one(module, quick=True, smoke=True, db=DATABASE)
    assert "error" not in figures, figures.get("error")
    assert figures["bench_seconds"] >= 0
    return figures


def positive(figures: dict, *keys: str) -> None:
    for key in keys:
        assert key in figures, f"missing figure {key}"
        value = figures[key]
        assert isinstance(value, int | float) and not isinstance(value, bool), (key, value)
        assert value > 0, (key, value)


async def test_http_overhead():
    f = await smoke("http_overhead")
    for name in ("health", "status_cookie", "status_api_key", "list"):
        positive(f, f"bare_{name}_rps", f"jarvis_{name}_rps", f"{name}_ratio",
                 f"jarvis_{name}_p99_ms")
    assert f["list_rows"] == 50
    assert f["errors"] == 0  # every request answered 200: the logins and the API key worked
    assert f["database"] == DATABASE


async def test_peers():
    f = await smoke("peers")
    for name in ("status_api_key", "list"):
        positive(f, *(f"{stack}_{name}_rps" for stack in ("bare", "fastapi", "jarvis")),
                 f"{name}_vs_fastapi", f"{name}_vs_bare", f"fastapi_{name}_vs_bare")
    assert f["errors"] == 0  # the peer app accepted Jarvis's API key and read its agents
    assert f["database"] == DATABASE


async def test_startup():
    f = await smoke("startup")
    positive(f, "bare_start_s", "first_start_s", "start_median_s", "start_max_s", "start_ratio")
    assert f["start_max_s"] >= f["start_median_s"]
    positive(f, "import_total_s")
    offenders = {k: v for k, v in f.items() if k.startswith("import_s_")}
    assert 0 < len(offenders) <= 8 and "import_s_jarvis" in offenders, offenders
    assert sum(offenders.values()) <= f["import_total_s"] + 0.01


async def test_runtime_loop():
    f = await smoke("runtime_loop")
    positive(f, "tool_step_median_ms", "tool_step_p99_ms", "tool_steps_measured",
             "runs_per_second_sequential", "runs_per_second_8_concurrent",
             "sql_statements_per_step", "write_transactions_per_step",
             "bare_write_transaction_ms")
    assert f["tool_step_p99_ms"] >= f["tool_step_median_ms"]
    assert f["tool_step_overhead_ms"] == pytest.approx(
        f["tool_step_median_ms"] - f["bare_write_transaction_ms"], abs=0.002)
    # a step's record goes in one transaction (plus the run's start and end, spread over it)
    assert 1 <= f["write_transactions_per_step"] < 2


async def test_ws_chat():
    f = await smoke("ws_chat")
    assert f["completed"] == f["chats"] == f["bare_completed"]  # every chat got every chunk
    assert f["errors"] == 0
    positive(f, "chunks_per_chat", "jarvis_frames_per_s", "bare_frames_per_s", "frames_ratio",
             "jarvis_server_peak_mb", "bare_server_peak_mb", "jarvis_stream_s")
    assert 0 <= f["delay_p50_ms"] <= f["delay_p99_ms"] <= f["delay_max_ms"]
    assert f["jarvis_server_peak_mb"] >= f["jarvis_server_idle_mb"]


async def test_audit():
    f = await smoke("audit")
    assert f["chain_ok"] is True  # the bulk-loaded chain (and the records after it) verify
    positive(f, "rows", "load_rows_per_s", "record_us", "bare_insert_us", "record_ratio")
    for query in ("all_p1", "tool_p1", "tool_deep", "session_p1", "session_deep"):
        positive(f, f"{query}_ms", f"{query}_vs_small")
    assert f["database"] == DATABASE


async def test_scheduler():
    f = await smoke("scheduler")
    assert f["jobs"] == f["agents"] > 0
    assert f["fires_measured"] > 0
    assert f["delay_p50_ms"] is not None and f["delay_p99_ms"] >= f["delay_p50_ms"]
    assert f["database"] == DATABASE


async def test_injection():
    f = await smoke("injection")
    assert f["page_kb"] >= 100
    positive(f, "baseline_us", "sanitize_us", "sanitize_ratio", "strip_hidden_html_us",
             "flag_instructions_us", "enhanced_us", "enhanced_ratio", "enhanced_pipeline_us",
             "canary_100kb_args_us", "canary_small_args_us")
    assert f["flags_found"] > 0  # the page's planted instructions were noticed
    assert f["canary_false_positive"] is False


def test_command_prints_a_table_and_writes_json(tmp_path):
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--only", "injection", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "sanitize_ratio" in proc.stdout
    report = json.loads(out.read_text())
    assert report["mode"] == "smoke"
    assert report["machine"]["cpus"] >= 1
    assert set(report["results"]) == {"injection"}
    assert report["results"]["injection"]["sanitize_us"] > 0


def test_database_benchmarks_are_named_by_database():
    import importlib

    audit = importlib.import_module("bench.audit")
    startup = importlib.import_module("bench.startup")
    assert result_name(audit, "postgresql") == "audit[postgresql]"
    assert result_name(startup, "-") == "startup"


@pytest.fixture(autouse=True)
def _no_jarvis_environment(monkeypatch):
    # the benchmark servers read JARVIS_* from the environment: the test runner's must not leak
    for var in [v for v in os.environ if v.startswith("JARVIS_")]:
        monkeypatch.delenv(var)


def test_an_unknown_benchmark_name_is_refused_with_the_known_ones():
    proc = subprocess.run([sys.executable, "-m", "bench", "--only", "nope"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "no benchmark named nope" in proc.stderr
    assert "ws_chat" in proc.stderr


async def test_web_ui():
    f = await smoke("web_ui")
    positive(f, "chat_first_paint_ms", "chat_ready_ms", "browser_first_text_ms",
             "browser_answer_ms", "bare_first_text_ms", "bare_answer_ms", "answer_ratio")
    assert f["browser_answer_ms"] >= f["browser_first_text_ms"]
    assert f["bare_answer_ms"] >= f["bare_first_text_ms"]


async def test_mcp_call():
    f = await smoke("mcp_call")
    positive(f, "direct_call_median_ms", "direct_call_p99_ms", "jarvis_call_median_ms",
             "jarvis_call_p99_ms", "ratio", "calls_measured")
    assert "overhead_median_ms" in f


async def test_listings():
    f = await smoke("listings")
    for name in ("agents", "tasks", "conversations", "runs", "audit"):
        positive(f, f"{name}_60_rps", f"bare_{name}_60_rps", f"{name}_60_vs_bare")
    for name in ("conversations", "runs", "audit"):  # the last page, reached by cursor
        positive(f, f"{name}_60_deep_vs_bare", f"{name}_60_deep_vs_first")
    assert f["errors_60"] == 0  # every page answered 200, the bare app's and Jarvis's
    assert f["database"] == DATABASE
