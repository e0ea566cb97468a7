"""The load benchmark's own parts (bench/run.py): options, wrk's report, the table and the JSON,
and the nginx configuration it runs, without running a benchmark."""

import json
import shutil
import socket
import subprocess

import pytest

from bench import run

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:18400/
  2 threads and 8 connections
Requests/sec:    412.30
{"requests": 4123, "duration_us": 10000000, "p50_us": 18500, "p99_us": 61250, "max_us": 90000, \
"errors": {"connect": 0, "read": 0, "write": 0, "status": 3, "timeout": 1}}
"""


def row(site, page, rps, mode="uncached", size=1000):
    return {
        "page": page,
        "site": site,
        "mode": mode,
        "size": size,
        "url": "/",
        "requests": int(rps * 10),
        "rps": rps,
        "p50_ms": 1.0,
        "p99_ms": 2.0,
        "errors": 0,
        "non_2xx": 0,
        "queries": 3,
    }


def test_options_default_to_both_sizes_ten_seconds_each():
    args = run.parse_args([])
    assert args.sizes == [1000, 100000]
    assert (args.seed, args.duration, args.workers) == (1, 10, 2)


def test_options_read_sizes_and_times():
    args = run.parse_args(["--sizes", "10,200", "--seed", "7", "--duration", "3", "--no-wagtail"])
    assert (args.sizes, args.seed, args.duration, args.no_wagtail) == ([10, 200], 7, 3, True)


def test_the_postgres_server_is_taken_without_its_database_name():
    args = run.parse_args(["--postgres", "postgres://postgres@127.0.0.1:5432/newsroom"])
    assert args.postgres == "postgres://postgres@127.0.0.1:5432"


@pytest.mark.parametrize(
    "argv",
    [
        ["--sizes", "0"],
        ["--sizes", "ten"],
        ["--duration", "0"],
        ["--postgres", "sqlite:///db"],
    ],
)
def test_bad_options_are_refused_with_a_message(argv, capsys):
    with pytest.raises(SystemExit) as exit:
        run.parse_args(argv)
    assert exit.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_wrk_report_gives_rate_latencies_and_errors():
    assert run.parse_wrk(WRK_OUTPUT) == {
        "requests": 4123,
        "rps": 412.3,
        "p50_ms": 18.5,
        "p99_ms": 61.25,
        "errors": 4,
        "non_2xx": 3,
    }


def test_generated_databases_are_told_apart_by_seed_and_size():
    assert run.db_names(1, 1000) == ("newsroom_bench_1000_s1", "wagtail_bench_1000_s1")
    stamps = {run.fingerprint(1, 1000), run.fingerprint(2, 1000), run.fingerprint(1, 100)}
    assert len(stamps) == 3
    assert run.fingerprint(1, 1000) == run.fingerprint(1, 1000)


def test_ratios_compare_each_page_with_the_nearest_wagtail_page_and_nginx():
    rows = [
        row("newsroom", "story", 300.0),
        row("newsroom", "home", 100.0),
        row("newsroom", "story", 3000.0, mode="nginx cache"),
        row("wagtail", "article", 100.0),
        row("wagtail", "index", 80.0),
        row("nginx", "static story", 10000.0, mode="static file"),
    ]
    ratios = {(r["page"], r["mode"]): r for r in run.ratios(rows)}
    assert ratios["story", "uncached"]["ratio"] == 3.0
    assert ratios["story", "uncached"]["met"]
    assert ratios["home", "uncached"]["ratio"] == 1.25
    assert not ratios["home", "uncached"]["met"]
    assert ratios["story", "nginx cache"]["ratio"] == 0.3
    assert ratios["story", "nginx cache"]["against"] == "nginx static"


def test_results_are_printed_and_written_as_json_named_for_date_and_machine(tmp_path):
    rows = [row("newsroom", "story", 300.0), row("wagtail", "article", 100.0)]
    result = {
        "started": "2026-12-01T23:59:01",
        "machine": {"hostname": "bench-host", "cpu": "Test CPU", "cores": 2},
        "rows": rows,
        "ratios": run.ratios(rows),
    }
    table = run.format_table(result)
    assert "newsroom story" in table
    assert "story (uncached) / wagtail article" in table
    markdown = run.format_markdown(result)
    assert "| newsroom story | uncached | 1,000 | 300 | 1.0 | 2.0 | 3 |" in markdown
    assert "| story (uncached) / wagtail article | 1,000 | 3.00 | 3.00 |" in markdown
    path = run.write_results(result, tmp_path / "results")
    assert path.name == "20261201T235901Z-bench-host.json"
    assert json.loads(path.read_text()) == result


def test_a_page_that_does_not_answer_is_recorded_as_failed_and_the_run_goes_on(capsys):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    rows = []
    args = run.parse_args(["--duration", "1"])
    run.measure(rows, args, 1000, "newsroom", "story", f"http://127.0.0.1:{port}/", 5)
    assert rows[0]["rps"] == 0
    assert "refused" in rows[0]["failed"].lower()
    assert "FAILED" in capsys.readouterr().out
    assert "failed" in run.format_markdown({"rows": rows})


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_configuration_with_the_production_cache(tmp_path):
    (tmp_path / "static").mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(run.nginx_config(tmp_path, 18400, 18402, 18403))
    assert f"include {run.PROXY_CONF};" in config.read_text()
    checked = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(config), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
