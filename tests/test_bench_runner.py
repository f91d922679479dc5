"""The pure parts of `make bench` (bench/run.py), so that the runner does not rot between its (slow,
manual) runs: medians, ratios and limits, the interleaving, the RESULTS.md writer, wrk's result line,
and that every page the runner compares still has a URL."""

import pytest
from django.urls import reverse

from bench import run


def test_median_and_ratio():
    assert run.median([3.0, 1.0, 2.0]) == 2.0
    assert run.median([4.0, 1.0, 2.0, 3.0]) == 2.5
    assert run.ratio(1.0, 4.0) == 0.25
    with pytest.raises(ValueError):
        run.ratio(1.0, 0.0)
    with pytest.raises(ValueError):
        run.median([])


def test_limits_are_on_ratios():
    assert run.within(0.5, ("<=", 0.5)) and not run.within(0.51, ("<=", 0.5))
    assert run.within(0.5, (">=", 0.5)) and not run.within(0.49, (">=", 0.5))
    with pytest.raises(ValueError):
        run.within(1.0, ("<", 1.0))


def test_interleave_alternates_the_order():
    calls = []

    def timer(name, value):
        def measure():
            calls.append(name)
            return value

        return measure

    samples = run.interleave({"page": timer("page", 1.0), "admin": timer("admin", 2.0)}, 4)
    assert calls == ["page", "admin", "admin", "page", "page", "admin", "admin", "page"]
    assert samples == {"page": [1.0] * 4, "admin": [2.0] * 4}


def test_row_verdicts():
    assert run.Row("x", "1 ms", "4 ms", 0.25, run.LIMIT_LIST).verdict == "pass"
    assert run.Row("x", "3 ms", "4 ms", 0.75, run.LIMIT_LIST).failed
    assert run.Row("x", "40 req/s", "80 req/s", 0.5, run.LIMIT_SERVER).verdict == "pass"
    assert run.Row("growth", "2 ms", "1 ms", 2.0).verdict == "reported"
    missing = run.Row("import", "", limit=run.LIMIT_IMPORT, missing="module missing (bench.import_ratio)")
    assert missing.failed and missing.verdict == "FAIL (not measured)"


def test_results_markdown_on_fake_numbers():
    sections = [
        run.Section(
            "Lists",
            "intro",
            [
                run.Row("applications | page", "10.0 ms, 5 queries", "40.0 ms, 9 queries", 0.25, run.LIMIT_LIST, "make bench"),
                run.Row("trips", "30.0 ms", "40.0 ms", 0.75, run.LIMIT_LIST, "make bench"),
            ],
            notes=["a note"],
        ),
        run.Section(
            "Import", "intro", [run.Row("import", "", limit=run.LIMIT_IMPORT, missing="module missing", command="make bench")]
        ),
    ]
    text = run.results_markdown(sections=sections, header=["header line"])
    assert "**Overall: FAIL** (2 failing of 3 rows)" in text
    assert "| applications \\| page | 10.0 ms, 5 queries | 40.0 ms, 9 queries | 0.25× | ≤ 0.5× | pass | `make bench` |" in text
    assert "| trips | 30.0 ms | 40.0 ms | 0.75× | ≤ 0.5× | FAIL |" in text
    assert "not measured: module missing" in text
    assert "- a note" in text
    passing = run.results_markdown(sections=[run.Section("S", "i", [run.Row("a", "1", "2", 0.5, run.LIMIT_LIST)])], header=[])
    assert "**Overall: pass**" in passing


def test_parse_wrk_reads_the_lua_line():
    output = (
        "Running 8s test @ http://127.0.0.1:8140/bench/trivial/\n  1 threads and 4 connections\n"
        '{"requests": 800, "duration_us": 8000000, "p50_us": 4000, "p95_us": 12500, "p99_us": 20000, "errors": 0, "non_2xx_3xx": 0}\n'
    )
    result = run.parse_wrk(output)
    assert result["rps"] == 100.0 and result["p95_s"] == 0.0125
    with pytest.raises(ValueError):
        run.parse_wrk("Running 8s test\n")


def test_every_compared_page_has_a_url():
    for page in run.STAFF_LISTS:
        assert reverse(page.url_name, kwargs=dict.fromkeys(page.kwargs, 1) or None)
        assert reverse(page.admin_url_name).startswith("/admin/")
    for name in ("reporting:indicators", "reporting:dashboard"):
        assert reverse(name)


def test_pick_reads_the_other_helpers_keys():
    assert run._pick({"import_s": 2.0, "baseline_s": 1.0}, "import_s") == 2.0
    assert run._pick({"job_seconds_median": 3.0, "ratio_job": 1.1}, "job_s", containing=("job",)) == 3.0
    with pytest.raises(KeyError):
        run._pick({"job_a": 1.0, "job_b": 2.0}, "job_s", containing=("job",))


def test_a_missing_measure_module_is_reported_not_raised():
    result, missing = run._external("bench.no_such_module", rows=1)
    assert result is None and missing == "module missing (bench.no_such_module)"
