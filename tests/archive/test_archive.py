"""The archive on both backends, with the same cases: SQLite and a real PostgreSQL server.

Expected answers are computed from the records themselves (what `newstag tag` wrote for the same
articles), never written down by hand: a filter must return exactly the stored articles whose
record satisfies it.
"""

from __future__ import annotations

from datetime import date, timedelta

import orjson
import pytest
import hypothesis
from hypothesis import strategies as st
from typer.testing import CliRunner

from newstag.archive import commands
from newstag.archive.backends import ArchiveError, open_archive
from newstag.archive.filters import FilterError, Filters, query_terms
from newstag.archive.migrations import latest_version
from newstag.archive.queries import count, get_article, months, search, stats, total
from newstag.archive.store import parse_date
from newstag.cli import app
from newstag.options import TagOptions

from .conftest import ARTICLES

runner = CliRunner()


def _add(url: str, *paths: str, **kwargs) -> commands.AddSummary:
    with open_archive(url) as backend:
        return commands.add(backend, list(paths) or [str(ARTICLES)], options=kwargs.pop("options", TagOptions()), **kwargs)


def _ids(hits) -> list[str]:
    return [h.id for h in hits]


def _dated_order(records: list[dict], dates: dict[str, str]) -> list[str]:
    """Ids newest first, undated last (ties: the later stored first)."""
    order = {r["id"]: n for n, r in enumerate(records)}
    return sorted(order, key=lambda i: (dates.get(i, ""), order[i]), reverse=True)


@pytest.fixture(scope="module")
def dates(article_lines) -> dict[str, str]:
    return {obj["id"]: obj["date"] for obj in map(orjson.loads, article_lines) if obj.get("date")}


# --- add, re-add, replace -----------------------------------------------------------------------


def test_add_twice_stores_each_article_once(archive_url, tagged_records):
    first = _add(archive_url)
    assert (first.counts.added, first.counts.replaced, first.counts.unchanged, first.errors) == (10, 0, 0, 0)
    second = _add(archive_url)
    assert (second.counts.added, second.counts.replaced, second.counts.unchanged) == (0, 0, 10)
    with open_archive(archive_url) as backend:
        assert total(backend) == 10
        stored = [orjson.loads(r) for r in backend.iterate("SELECT record FROM article_bodies ORDER BY seq") for r in r]
    assert stored == tagged_records  # as `newstag tag` writes them


def test_changed_text_replaces_the_article(archive_url, article_lines, tmp_path):
    _add(archive_url)
    changed = [orjson.loads(line) for line in article_lines]
    changed[2]["text"] = changed[2]["text"].replace("Atacama", "Antofagasta")
    path = tmp_path / "changed.jsonl"
    path.write_bytes(b"".join(orjson.dumps(obj) + b"\n" for obj in changed))
    summary = _add(archive_url, str(path))
    assert (summary.counts.added, summary.counts.replaced, summary.counts.unchanged) == (0, 1, 9)
    with open_archive(archive_url) as backend:
        assert total(backend) == 10
        assert _ids(search(backend, Filters(query="Antofagasta"))) == ["cl-copper"]
        assert _ids(search(backend, Filters(query="Atacama"))) == []  # the old text is gone from the index


def test_the_last_line_of_an_id_wins(archive_url, article_lines, tmp_path):
    first, second = orjson.loads(article_lines[0]), orjson.loads(article_lines[1])
    second["id"] = first["id"]
    stored_second = tmp_path / "second.jsonl"
    stored_second.write_bytes(orjson.dumps(second) + b"\n")
    both = tmp_path / "both.jsonl"
    both.write_bytes(orjson.dumps(first) + b"\n" + orjson.dumps(second) + b"\n")
    _add(archive_url, str(stored_second))
    # The stored text is the second line's: it must not be skipped as unchanged, since the
    # first line (different) is written before it.
    summary = _add(archive_url, str(both))
    assert (summary.counts.added, summary.counts.replaced, summary.counts.unchanged) == (0, 2, 0)
    with open_archive(archive_url) as backend:
        assert total(backend) == 1
        assert get_article(backend, first["id"]).title == second["title"]


def test_bad_lines_are_counted_and_not_stored(archive_url, article_lines, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(article_lines[0] + b'{"id": "broken", "text": \n' + b'{"id": "empty", "text": ""}\n' + article_lines[1])
    summary = _add(archive_url, str(path))
    assert summary.counts.added == 2 and summary.errors == 2
    assert any(line.startswith("empty:") for line in summary.error_lines)
    with open_archive(archive_url) as backend:
        assert total(backend) == 2 and get_article(backend, "empty") is None


def test_every_input_kind_is_tagged(archive_url, tmp_path, example_text):
    raw = tmp_path / "story.txt"
    raw.write_text(example_text)
    html = tmp_path / "page.html"
    html.write_text("<html><head><title>Lima talks</title></head><body><article><h1>Energy ministers meet in Lima</h1>"
                    "<p>Energy ministers from Chile, Peru and Bolivia met in Lima on Tuesday to discuss gas pipelines"
                    " across the Andes and power links between their grids.</p></article></body></html>")
    summary = _add(archive_url, str(raw), str(html))
    assert summary.counts.added == 2, summary.error_lines
    with open_archive(archive_url) as backend:
        assert get_article(backend, str(raw)).record["title"]
        page = get_article(backend, str(html)).record
        assert page["title"] == "Energy ministers meet in Lima"
        assert _ids(search(backend, Filters(query="grids"))) == [str(html)]  # the extracted text is searched
        assert str(html) in _ids(search(backend, Filters(region=page["regions"][0]["code"])))


# --- search -------------------------------------------------------------------------------------


@pytest.fixture
def filled(archive_url):
    _add(archive_url)
    with open_archive(archive_url) as backend:
        yield backend


@pytest.fixture
def filled_sqlite(tmp_path):
    """`filled`, SQLite only: for the tests of one dialect's plans."""
    url = str(tmp_path / "archive.db")
    _add(url)
    with open_archive(url) as backend:
        yield backend


@pytest.fixture
def filled_postgresql(postgres_server):
    """`filled`, PostgreSQL only."""
    url = postgres_server.new_database()
    _add(url)
    with open_archive(url) as backend:
        yield backend


def _expect(records, dates, keep) -> list[str]:
    return [i for i in _dated_order(records, dates) if keep(next(r for r in records if r["id"] == i))]


FILTER_CASES = {
    "region about": (dict(region="CU", relevance="about"),
                     lambda r: any(x["code"] == "CU" and x["relevance"] == "about" for x in r["regions"])),
    "region mentioned": (dict(region="CU", relevance="mentioned"),
                         lambda r: any(x["code"] == "CU" and x["relevance"] == "mentioned" for x in r["regions"])),
    "M49 region": (dict(region="419"), lambda r: any(x["code"] == "419" for x in r["regions"])),
    "topic": (dict(topic="medtop:04000000"), lambda r: any(t["code"] == "medtop:04000000" for t in r["general"])),
    "agency": (dict(agency="Reuters"), lambda r: "Reuters" in r["agencies"]),
    "topic and region": (dict(topic="medtop:04000000", region="CU"),
                         lambda r: any(t["code"] == "medtop:04000000" for t in r["general"]) and any(x["code"] == "CU" for x in r["regions"])),
    "region about and agency": (dict(region="US", relevance="about", agency="Reuters"),
                                lambda r: "Reuters" in r["agencies"] and any(x["code"] == "US" and x["relevance"] == "about" for x in r["regions"])),
}


@pytest.mark.parametrize("case", list(FILTER_CASES))
def test_tag_filters_return_exactly_the_matching_records(filled, tagged_records, dates, case):
    given, keep = FILTER_CASES[case]
    expected = _expect(tagged_records, dates, keep)
    assert expected, f"the test articles have no case for {case}"
    filters = Filters(**given)
    assert _ids(search(filled, filters, limit=100)) == expected
    assert count(filled, filters) == len(expected)
    assert len(expected) < len(tagged_records) or case == "M49 region"


@pytest.mark.parametrize("word", ["the", "Havana", "sugar"])
@pytest.mark.parametrize("case", list(FILTER_CASES))
def test_full_text_with_tag_filters_returns_exactly_the_matching_records(filled, tagged_records, dates, article_lines, case, word):
    # PostgreSQL answers these from articles_fts alone (its tag keys, schema version 6), SQLite
    # from the tag tables: both must return the articles whose record has the tags and whose
    # title or text has the word (as a token: both indexes split on punctuation, ignore case).
    import re

    given, keep = FILTER_CASES[case]
    texts = {obj["id"]: f"{obj.get('title') or ''} {obj['text']}" for obj in map(orjson.loads, article_lines)}
    has_word = {i: word.lower() in {w.lower() for w in re.findall(r"\w+", text)} for i, text in texts.items()}
    expected = [i for i in _expect(tagged_records, dates, keep) if has_word[i]]
    filters = Filters(query=word, **given)
    assert _ids(search(filled, filters, limit=100)) == expected
    assert count(filled, filters) == len(expected)


def test_place_filter(filled, tagged_records, dates):
    havana = next(p["geonameid"] for r in tagged_records for p in r["places"] if p["name"] == "Havana")
    expected = _expect(tagged_records, dates, lambda r: any(p["geonameid"] == havana for p in r["places"]))
    assert len(expected) >= 2
    assert _ids(search(filled, Filters(place=havana), limit=100)) == expected


def test_dates_filter_and_order(filled, tagged_records, dates):
    expected = [i for i in _dated_order(tagged_records, dates) if "2024-02-01" <= dates.get(i, "") <= "2024-04-02"]
    assert _ids(search(filled, Filters(since="2024-02-01", until="2024-04-02"), limit=100)) == expected
    everything = _ids(search(filled, Filters(), limit=100))
    assert everything == _dated_order(tagged_records, dates) and everything[-1] == "jp-quake"  # undated last
    assert _ids(search(filled, Filters(until="2030-01-01"), limit=100)) == everything[:-1]
    assert _ids(search(filled, Filters(), limit=3, offset=2)) == everything[2:5]


def test_full_text_searches_title_and_body(filled, tagged_records):
    # "century" is only in a title; "diesel" only in a body; a phrase must occur as written.
    assert _ids(search(filled, Filters(query="century"))) == ["cu-sugar"]
    assert _ids(search(filled, Filters(query="DIESEL"))) == ["cu-sugar"]
    assert _ids(search(filled, Filters(query='"tsunami warning"'))) == ["jp-quake"]
    assert _ids(search(filled, Filters(query='"warning tsunami"'))) == []
    assert set(_ids(search(filled, Filters(query="Havana")))) == {"cu-sugar", "cu-power", "cu-tourism", "us-cuba-talks"}
    assert _ids(search(filled, Filters(query="Havana embargo"))) == ["us-cuba-talks", "cu-sugar"]
    assert _ids(search(filled, Filters(query="Havana", region="US", relevance="about"))) == ["us-cuba-talks"]
    assert _ids(search(filled, Filters(query="a'; DROP TABLE articles; --"))) == []
    assert total(filled) == 10


@pytest.mark.parametrize("query", ["Havana", "embargo talks", '"power plant"', "the"])
def test_both_plans_of_full_text_with_tags_agree(filled, query):
    """Driven from the words' matches or from the tag's index, the same articles in the same order."""
    from newstag.archive.filters import select

    for filters in (Filters(query=query), Filters(query=query, region="CU"), Filters(query=query, topic="medtop:04000000", region="US"),
                    Filters(query=query, region="419", relevance="about", agency="Reuters")):
        answers = []
        for by_full_text in (False, True):
            s = select(filters, filled.dialect, by_full_text=by_full_text)
            answers.append(filled.query(f"{s.seqs()} ORDER BY d.published DESC, d.seq DESC", s.params))
            answers.append(filled.query(f"SELECT count(*) FROM {s.source} WHERE {s.where}", s.params))
        assert answers[0] == answers[2] and answers[1] == answers[3]
    assert count(filled, Filters(query="Havana", region="CU")) == len(search(filled, Filters(query="Havana", region="CU")))


def test_full_text_with_tags_is_planned_from_the_rarer_side(filled_sqlite, monkeypatch):
    # SQLite's plans: PostgreSQL full text is driven from its GIN index always (the next test).
    from newstag.archive import queries

    filled = filled_sqlite
    assert queries.plan(filled, Filters(query="diesel", region="CU")).by_full_text
    monkeypatch.setitem(queries.FULL_TEXT_FIRST_BELOW, filled.dialect, 0)
    by_tag = queries.plan(filled, Filters(query="diesel", region="CU"))
    assert not by_tag.by_full_text and by_tag.source == "article_regions d"
    # The tag's index drives, newest first (no sort), the words' matches probed as a set.
    steps = " | ".join(row[3] for row in filled.query(f"EXPLAIN QUERY PLAN {by_tag.seqs()} ORDER BY d.published DESC, d.seq DESC",
                                                        by_tag.params))
    assert "INDEX article_regions_by_code" in steps and "TEMP B-TREE FOR ORDER BY" not in steps, steps
    assert queries.plan(filled, Filters(query="zzzunknownword", region="CU")).by_full_text  # in no article
    by_date = queries.plan(filled, Filters(query="diesel"))  # no tag: the date's index drives
    steps = " | ".join(row[3] for row in filled.query(f"EXPLAIN QUERY PLAN {by_date.seqs()} ORDER BY d.published DESC, d.seq DESC",
                                                        by_date.params))
    assert not by_date.by_full_text and "INDEX articles_published" in steps and "TEMP B-TREE FOR ORDER BY" not in steps, steps


def test_postgresql_full_text_with_tags_is_one_scan_of_the_gin_index(filled_postgresql):
    from newstag.archive import queries

    filled = filled_postgresql
    selection = queries.plan(filled, Filters(query="diesel", topic="medtop:04000000", region="CU", relevance="about"))
    assert selection.source.startswith("(SELECT f.seq, f.published FROM articles_fts f") and "article_regions" not in selection.source
    # Ten articles would be read whole (a sequential scan); without that way out, the planner's
    # way is the GIN index, both conditions in its one scan.
    filled.execute("SET enable_seqscan = off")
    try:
        plan = "\n".join(row[0] for row in filled.query(f"EXPLAIN {selection.seqs()}", selection.params))
    finally:
        filled.execute("RESET enable_seqscan")
    assert "Bitmap Index Scan on articles_fts_gin" in plan and "tags @>" in plan and "BitmapAnd" not in plan, plan


@pytest.mark.parametrize("given", [dict(query="the"), dict(query="Havana"), dict(query="the", region="US"),
                                   dict(query="the", since="2024-02-01", until="2024-04-02"), dict(query="zzzunknownword")])
def test_full_text_read_in_date_slices_returns_what_one_query_does(filled_postgresql, given, dates, monkeypatch):
    """queries.newest_seqs: PostgreSQL full text estimated at many matches is read newest first in
    date slices (SQLite reads its matches in one query); here every query is sliced, the first
    slice the newest tenth, to give the same articles in the same order as one query over all,
    for every page."""
    from newstag.archive import queries

    filled = filled_postgresql
    filters = Filters(**given)
    whole = [h.seq for h in search(filled, filters, limit=100)]
    filled.execute("ANALYZE articles_fts")
    assert len(queries._published_bounds(filled)) >= 5  # the slices' dates
    asked = []
    real_plan = queries.plan
    monkeypatch.setattr(queries, "plan", lambda b, f, published=(None, None): asked.append(published) or real_plan(b, f, published))
    monkeypatch.setattr(queries, "_estimated_rows", lambda *_: 1_000)  # n + offset = 1, 2, ... -> first reach 0.2% ..
    for n in range(1, len(whole) + 2):
        for offset in (0, 1):
            asked.clear()
            assert queries.newest_seqs(filled, filters, n, offset) == whole[offset : offset + n], (n, offset)
            slices = asked[1:]  # asked[0]: the whole selection's, estimated
            assert slices[0][0] is not None and slices[0][1] > max(dates.values())  # the newest slice first, bounded
            assert all(a[0] == b[1] for a, b in zip(slices, slices[1:]))  # each next one adjoins it


def test_facets_count_the_whole_result(filled, tagged_records):
    from newstag.archive.facets import facet_counts

    facets = facet_counts(filled, Filters(region="CU", relevance="about"))
    assert not facets.sampled and facets.counted == count(filled, Filters(region="CU", relevance="about"))
    facets = facets.values
    about_cu = [r for r in tagged_records if any(x["code"] == "CU" and x["relevance"] == "about" for x in r["regions"])]
    expected = {}
    for r in about_cu:
        for t in r["general"]:
            expected[t["code"]] = expected.get(t["code"], 0) + 1
    assert {f.value: f.count for f in facets["topic"]} == expected
    assert next(f for f in facets["region"] if f.value == "CU").count == len(about_cu)
    assert next(f for f in facets["region"] if f.value == "CU").name == "Cuba"


def test_stats_and_months(filled, tagged_records, dates):
    by_topic = {code: n for code, _, n in stats(filled, "topic")}
    expected = {}
    for r in tagged_records:
        for t in r["general"]:
            expected[t["code"]] = expected.get(t["code"], 0) + 1
    assert by_topic == expected
    by_agency = dict((v, n) for v, _, n in stats(filled, "agency"))
    assert by_agency["Reuters"] == sum("Reuters" in r["agencies"] for r in tagged_records)
    month_counts = {}
    for d in dates.values():
        month_counts[d[:7]] = month_counts.get(d[:7], 0) + 1
    assert dict((m, n) for m, _, n in stats(filled, "month")) == month_counts
    cuba = {}
    for r in tagged_records:
        if any(x["code"] == "CU" for x in r["regions"]) and r["id"] in dates:
            cuba[dates[r["id"]][:7]] = cuba.get(dates[r["id"]][:7], 0) + 1
    assert dict(months(filled, Filters(region="CU"))) == cuba
    table = commands.stats_table(filled, "region", limit=3)
    assert table.splitlines()[0].split() == ["region", "articles", "name"] and len(table.splitlines()) == 4


def _months_of_matches(backend, filters) -> list[tuple[str, int]]:
    """Articles per month counted over the matches themselves (what tag_months must agree with)."""
    counts: dict[str, int] = {}
    for hit in search(backend, filters, limit=1000):
        if hit.published:
            counts[hit.published[:7]] = counts.get(hit.published[:7], 0) + 1
    return sorted(counts.items())


def _every_month_chart(backend) -> dict:
    """For every filter a month chart is read from the kept counts: (kept, counted over the matches)."""
    topics = [code for code, _, _ in stats(backend, "topic")]
    regions = [code for code, _, _ in stats(backend, "region")]
    agencies = [name for name, _, _ in stats(backend, "agency")]
    assert topics and regions and agencies
    cases = [Filters()] + [Filters(topic=code) for code in topics] + [Filters(agency=name) for name in agencies] + [
        Filters(region=code, relevance=relevance) for code in regions for relevance in (None, "about", "mentioned")
    ]
    return {case: (months(backend, case), _months_of_matches(backend, case)) for case in cases}


def test_month_counts_follow_adds_replacements_and_retags(archive_url, article_lines, tmp_path):
    _add(archive_url, options=TagOptions(max_general=1))
    with open_archive(archive_url) as backend:
        charts = _every_month_chart(backend)
        assert len(charts) > 20 and any(kept for kept, _ in charts.values())
        assert all(kept == counted for kept, counted in charts.values())
    # Replaced: one article moves to another month, another loses its date.
    changed = [orjson.loads(line) for line in article_lines]
    cuba = next(obj for obj in changed if "Cuba" in obj["title"])
    cuba["date"] = "2019-06-30"
    undated = next(obj for obj in changed if obj.get("date") and obj is not cuba)
    undated["date"] = ""
    path = tmp_path / "changed.jsonl"
    path.write_bytes(b"".join(orjson.dumps(obj) + b"\n" for obj in changed))
    assert _add(archive_url, str(path), options=TagOptions(max_general=1)).counts.replaced == 2
    with open_archive(archive_url) as backend:
        assert ("2019-06", 1) in months(backend, Filters(region="CU"))
        charts = _every_month_chart(backend)
        assert all(kept == counted for kept, counted in charts.values())
        # Retagged with more topics: the topics' counts grow with their new articles.
        assert commands.retag(backend, options=TagOptions()).counts.replaced > 0
        charts = _every_month_chart(backend)
        assert all(kept == counted for kept, counted in charts.values())
        assert dict((m, n) for m, _, n in stats(backend, "month")) == dict(_months_of_matches(backend, Filters()))
        assert backend.query("SELECT count(*) FROM tag_months WHERE articles < 0") == [(0,)]
        # The counts per tag are the kept counts' sums, undated articles included.
        records = [h.record for h in search(backend, Filters(), limit=1000)]
        for by, field, key in (("topic", "general", "code"), ("region", "regions", "code")):
            expected: dict[str, int] = {}
            for r in records:
                for entry in r[field]:
                    expected[entry[key]] = expected.get(entry[key], 0) + 1
            assert {v: n for v, _, n in stats(backend, by)} == expected, by
        expected_agencies: dict[str, int] = {}
        for r in records:
            for name in r["agencies"]:
                expected_agencies[name] = expected_agencies.get(name, 0) + 1
        assert {v: n for v, _, n in stats(backend, "agency")} == expected_agencies


def test_an_archive_of_schema_version_3_gets_its_month_counts_from_its_tags(archive_url):
    _add(archive_url)
    with open_archive(archive_url) as backend:
        expected = _every_month_chart(backend)
        with backend.writing():
            backend.execute("DROP TABLE tag_months")
            backend._set_schema_version(3)
    with open_archive(archive_url) as backend:
        assert backend.schema_version() == latest_version() >= 4
        assert _every_month_chart(backend) == expected
        assert all(kept == counted for kept, counted in expected.values())


# --- export, --tagged, retag --------------------------------------------------------------------


def test_export_round_trip_equals_the_input_records(archive_url, tagged_records, tmp_path):
    tagged = tmp_path / "tagged.jsonl"
    tagged.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in tagged_records))
    with open_archive(archive_url) as backend:
        summary = commands.add_tagged(backend, [str(tagged)])
        assert summary.counts.added == 10
        assert commands.add_tagged(backend, [str(tagged)]).counts.unchanged == 10
        out = tmp_path / "export.jsonl"
        assert commands.export(backend, out, "jsonl") == 10
        # Records stored without their text: full text finds their titles.
        assert _ids(search(backend, Filters(query="earthquake"))) == ["jp-quake"]
    assert out.read_bytes() == tagged.read_bytes()


def test_retag_replaces_what_the_installed_models_tag_differently(archive_url, tagged_records):
    _add(archive_url, options=TagOptions(max_general=1))
    with open_archive(archive_url) as backend:
        one_topic = {h.id: h.record for h in search(backend, Filters(), limit=100)}
        assert all(len(r["general"]) <= 1 for r in one_topic.values())
        summary = commands.retag(backend, options=TagOptions())
        differ = sum(len(r["general"]) > 1 for r in tagged_records)
        assert differ > 0
        assert (summary.counts.replaced, summary.counts.unchanged, summary.errors) == (differ, 10 - differ, 0)
        retagged = {h.id: h.record for h in search(backend, Filters(), limit=100)}
        assert retagged == {r["id"]: r for r in tagged_records}
        assert all(r["versions"]["topics_model"] for r in retagged.values())
        assert count(backend, Filters(topic="medtop:20000638")) == sum(
            any(t["code"] == "medtop:20000638" for t in r["general"]) for r in tagged_records)
        again = commands.retag(backend, options=TagOptions())
        assert (again.counts.replaced, again.counts.unchanged) == (0, 10)


def _tag_keys(record: dict, published: str) -> set[str]:
    """The keys articles_fts.tags must hold for `record` dated `published` (schema.pg_tag_keys_of)."""
    regions = {}
    for x in record["regions"]:
        regions.setdefault(x["code"], x["relevance"])  # a code listed twice: its first entry's
    dated = {f"y:{published[:4]}", f"m:{published[:7]}", f"d:{published}"} if published else set()
    return dated | ({f"t:{t['code']}" for t in record["general"]} | {f"r:{c}" for c in regions}
            | {f"r:{c}:{relevance}" for c, relevance in regions.items()}
            | {f"p:{p['geonameid']}" for p in record["places"] if p.get("geonameid") is not None}
            | {f"a:{name}" for name in record["agencies"]})


@hypothesis.settings(max_examples=150, deadline=None)
@hypothesis.given(lower=st.dates(date(1990, 1, 1), date(2030, 12, 31)), days=st.integers(1, 4000),
       probe=st.dates(date(1989, 12, 1), date(2042, 1, 31)))
def test_date_keys_cover_exactly_the_days_of_a_range(lower, days, probe):
    # schema.pg_date_keys: a date slice as year, month and day keys; an article (its three keys,
    # as schema.pg_date_keys_of writes them) is in the slice exactly when it has one of them.
    from newstag.archive.schema import pg_date_keys, pg_date_keys_of

    upper = lower + timedelta(days=days)
    keys = set(pg_date_keys(lower.isoformat(), upper.isoformat()))
    assert len(keys) <= 2 * (30 + 11) + (upper.year - lower.year)  # days and months at the ends, years between
    for day in (probe, lower, upper, lower - timedelta(days=1), upper - timedelta(days=1)):
        has = set(pg_date_keys_of(day.isoformat())) & keys
        assert bool(has) == (lower <= day < upper) and len(has) <= 1, (lower, upper, day)


def test_postgresql_full_text_rows_hold_their_records_tag_keys(postgres_server, tagged_records, dates, tmp_path):
    # Written by `archive add` (vectors computed in place), by a bulk `add --tagged` (vectors
    # copied in) and by a retag that changes the topics: each article's keys are its record's.
    def stored_keys(backend) -> tuple[dict, dict]:
        rows = backend.query("SELECT a.id, f.tags, b.record, a.published FROM articles a JOIN articles_fts f ON f.seq = a.seq "
                             "JOIN article_bodies b ON b.seq = a.seq")
        return {i: set(tags) for i, tags, _, _ in rows}, {i: _tag_keys(orjson.loads(r), published) for i, _, r, published in rows}

    with open_archive(postgres_server.new_database()) as backend:
        commands.add(backend, [str(ARTICLES)], options=TagOptions(max_general=1))
        keys, expected = stored_keys(backend)
        assert len(keys) == 10 and keys == expected and all(any(k.startswith("r:") for k in v) for v in keys.values())
        assert sum(any(k.startswith("d:") for k in v) for v in keys.values()) == len(dates)  # the dated ones
        summary = commands.retag(backend, options=TagOptions())
        assert summary.counts.replaced > 0
        keys, expected = stored_keys(backend)
        assert keys == expected == {r["id"]: _tag_keys(r, dates.get(r["id"], "")) for r in tagged_records}
    tagged = tmp_path / "tagged.jsonl"  # each with its input's date (store.from_record reads it)
    tagged.write_bytes(b"".join(orjson.dumps(dict(r, date=dates[r["id"]]) if r["id"] in dates else r) + b"\n"
                                for r in tagged_records))
    with open_archive(postgres_server.new_database()) as backend:
        commands.add_tagged(backend, [str(tagged)])
        keys, expected = stored_keys(backend)
        assert keys == expected == {r["id"]: _tag_keys(r, dates.get(r["id"], "")) for r in tagged_records}


# --- schema and bad input -----------------------------------------------------------------------


def test_schema_version_is_recorded(archive_url):
    with open_archive(archive_url) as backend:
        assert backend.schema_version() == latest_version() >= 1
        backend._set_schema_version(latest_version() + 1)
    with pytest.raises(ArchiveError, match="newer than this newstag"):
        open_archive(archive_url)


def test_a_version_1_sqlite_archive_is_migrated_and_its_full_text_still_found(tmp_path):
    # Version 1 as the first release created it (16 KB pages are a new file's, not the schema's).
    from newstag.archive.backends import PAGE_SIZE, SqliteBackend
    from newstag.archive.migrations import m0001_initial
    from newstag.archive.migrations.m0002_fts_pending_terms import FTS_PENDING_TERMS_BYTES

    path = str(tmp_path / "v1.db")
    old = SqliteBackend(path)
    with old.writing():
        for statement in m0001_initial.statements("sqlite"):
            old.execute(statement)
        old._set_schema_version(1)
    old.close()
    first = _add(path)
    assert first.counts.added == 10
    with open_archive(path) as backend:
        assert backend.schema_version() == latest_version() >= 2
        assert backend.query("SELECT v FROM articles_fts_config WHERE k = 'hashsize'") == [(FTS_PENDING_TERMS_BYTES,)]
        assert backend.query("PRAGMA page_size") == [(PAGE_SIZE,)]
        hits = search(backend, Filters(query="Atacama"))
        assert len(hits) == 1 and "Atacama" in backend.query(
            "SELECT b.text FROM article_bodies b JOIN articles a ON a.seq = b.seq WHERE a.id = ?", (hits[0].id,))[0][0]


def test_a_version_1_postgresql_archive_moves_its_full_text_to_its_own_table(postgres_server):
    # Version 1 kept the tsvector in a column of article_bodies that the server generated; the
    # backend then wrote no full-text rows itself (index_text did nothing), as this one does.
    from newstag.archive.backends import PostgresBackend
    from newstag.archive.migrations import m0001_initial
    from newstag.archive.schema import PG_FTS_STATISTICS

    class VersionOneBackend(PostgresBackend):
        def index_text(self, seqs, documents=()) -> None:
            pass

        def unindex_text(self, seqs) -> None:
            pass

        def execute_many(self, sql, rows) -> None:
            if "tag_months" not in sql:  # version 6's month counts (m0004 counts what was stored)
                super().execute_many(sql, rows)

        def migrate(self) -> None:
            pass

        def create_missing_indexes(self) -> None:  # version 1's indexes are m0001's
            pass

    url = postgres_server.new_database()
    old = VersionOneBackend(url)
    with old.writing():
        for statement in m0001_initial.statements("postgresql"):
            old.execute(statement)
        old._set_schema_version(1)
    stored = commands.add(old, [str(ARTICLES)], options=TagOptions())
    old.close()
    assert stored.counts.added == 10
    with open_archive(url) as backend:
        assert backend.schema_version() == latest_version() >= 3
        assert backend.query(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'article_bodies' AND column_name = 'fts'"
        ) == [(0,)]
        assert backend.query("SELECT count(*) FROM articles_fts") == [(10,)]
        assert backend.query(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'articles_fts'::regclass AND attname = 'fts'"
        ) == [(PG_FTS_STATISTICS,)]
        rows = backend.query("SELECT f.tags, b.record, f.published FROM articles_fts f JOIN article_bodies b ON b.seq = f.seq")
        assert [set(tags) for tags, _, _ in rows] == [_tag_keys(orjson.loads(r), published) for _, r, published in rows]  # version 6's
        hits = search(backend, Filters(query="Atacama"))
        assert len(hits) == 1 and "Atacama" in backend.query(
            "SELECT b.text FROM article_bodies b JOIN articles a ON a.seq = b.seq WHERE a.id = ?", (hits[0].id,))[0][0]
    # Adding after the migration keeps the new table in step: the same input changes nothing.
    again = _add(url)
    assert (again.counts.added, again.counts.unchanged) == (0, 10)


ACCENTED = [  # written for this test: one article with accents, one without
    {"id": "accents", "title": "Flights resume in São Paulo", "text": "Flights resumed at São Paulo's airport and in Bogotá on Monday, officials in Zürich said. Nguyễn Văn An flew in from Hà Nội."},
    {"id": "plain", "title": "Sao Paulo traffic eases", "text": "Traffic in Sao Paulo and Bogota eased on Monday, officials in Zurich said. Nguyen Van An flew in from Ha Noi."},
]


def _add_accented(url, tmp_path):
    path = tmp_path / "accented.jsonl"
    path.write_bytes(b"".join(orjson.dumps(obj) + b"\n" for obj in ACCENTED))
    return _add(url, str(path))


def test_full_text_finds_a_word_with_or_without_its_accents(archive_url, tmp_path):
    assert _add_accented(archive_url, tmp_path).counts.added == 2
    with open_archive(archive_url) as backend:
        for query in ("São", "Sao", "bogotá", "Bogota", "Zürich", "ZURICH", '"sao paulo"', "Nguyễn", "nguyen", '"ha noi"'):
            assert sorted(_ids(search(backend, Filters(query=query)))) == ["accents", "plain"], query
        assert _ids(search(backend, Filters(query="Saopaulo"))) == []


PUNCTUATED = [  # written for this test: wire-copy punctuation between words
    {"id": "figures", "title": "<Harbour Grain Co> lifts payout",
     "text": "Net profit rose to 10.4 mln dlrs, or 1.25 dlrs/share, up 70% on the year; crude was 17.50 dlrs/bbl."},
    {"id": "web", "title": "Port opens e-mail desk",
     "text": "Shippers can write to desk@harbour-port.example or visit https://harbour-port.example/news for updates."},
    {"id": "plain", "title": "Grain prices steady", "text": "Grain prices held steady at ten dollars a share on the year."},
]


def test_full_text_splits_words_at_punctuation_alike_in_both_backends(archive_url, tmp_path):
    path = tmp_path / "punctuated.jsonl"
    path.write_bytes(b"".join(orjson.dumps(obj) + b"\n" for obj in PUNCTUATED))
    assert _add(archive_url, str(path)).counts.added == 3
    expected = {  # every article whose title or text holds the words, punctuation aside
        '"10.4 mln"': ["figures"], "harbour grain": ["figures"], "share": ["figures", "plain"], "bbl": ["figures"],
        "70": ["figures"], '"e mail"': ["web"], "example": ["web"], '"harbour port"': ["web"], "https": ["web"],
        "25": ["figures"],
    }
    with open_archive(archive_url) as backend:
        for query, ids in expected.items():
            assert sorted(_ids(search(backend, Filters(query=query)))) == ids, query


def test_a_version_4_sqlite_archive_gets_its_index_made_again_without_accents(tmp_path):
    from newstag.archive.migrations.m0002_fts_pending_terms import FTS_PENDING_TERMS_BYTES

    path = str(tmp_path / "v4.db")
    _add_accented(path, tmp_path)
    with open_archive(path) as backend:
        # Version 4's index: unicode61 with its default remove_diacritics 1 (Nguyễn kept whole).
        with backend.writing():
            backend.execute("DROP TABLE articles_fts")
            backend.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='article_bodies', "
                            "content_rowid='seq', tokenize='unicode61')")
            backend.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
            backend._set_schema_version(4)
        assert _ids(search(backend, Filters(query="nguyen"))) == ["plain"]
    with open_archive(path) as backend:
        assert backend.schema_version() == latest_version() >= 5
        assert sorted(_ids(search(backend, Filters(query="nguyen")))) == ["accents", "plain"]
        assert backend.query("SELECT v FROM articles_fts_config WHERE k = 'hashsize'") == [(FTS_PENDING_TERMS_BYTES,)]
    # The index stays in step with later writes: a replaced text is found by its new words only.
    changed = [dict(ACCENTED[0], text="Nguyễn Văn An stayed in Hà Nội.")]
    (tmp_path / "changed.jsonl").write_bytes(orjson.dumps(changed[0]) + b"\n")
    assert _add(path, str(tmp_path / "changed.jsonl")).counts.replaced == 1
    with open_archive(path) as backend:
        assert _ids(search(backend, Filters(query="Bogota"))) == ["plain"]
        assert sorted(_ids(search(backend, Filters(query="stayed nguyen")))) == ["accents"]


def test_a_version_4_postgresql_archive_gets_its_vectors_without_accents(postgres_server, tmp_path):
    from newstag.archive.schema import FTS_CONFIG, FULL_TEXT, pg_document

    url = postgres_server.new_database()
    _add_accented(url, tmp_path)
    with open_archive(url) as backend:
        # Version 4 as it was: `simple` vectors, no configuration of our own.
        with backend.writing():
            backend.execute(f"UPDATE articles_fts f SET fts = to_tsvector('simple', {pg_document(FULL_TEXT, 'b.')}) "
                            "FROM article_bodies b WHERE b.seq = f.seq")
            backend.execute(f"DROP TEXT SEARCH CONFIGURATION {FTS_CONFIG}")
            backend._set_schema_version(4)
        assert backend.query("SELECT count(*) FROM articles_fts WHERE fts @@ to_tsquery('simple', 'sao')") == [(1,)]
    with open_archive(url) as backend:
        assert backend.schema_version() == latest_version() >= 5
        assert sorted(_ids(search(backend, Filters(query="Sao")))) == ["accents", "plain"]


def test_filter_values_are_checked():
    with pytest.raises(FilterError, match="give a region"):
        Filters(relevance="about")
    with pytest.raises(FilterError, match="about, mentioned"):
        Filters(region="CU", relevance="central")
    with pytest.raises(FilterError, match="YYYY-MM-DD"):
        Filters(since="March")
    with pytest.raises(FilterError, match="GeoNames id"):
        Filters.clean(place="Havana")
    assert Filters.clean(region=" CU ", topic="", q=None) == Filters(region="CU")


def test_query_terms_and_dates():
    assert query_terms('"oil price" OPEC, "" ;') == [["oil", "price"], ["OPEC"]]
    assert parse_date("2024-03-05T10:00:00Z") == "2024-03-05"
    assert parse_date("Tue, 05 Mar 2024 10:00:00 GMT") == "2024-03-05"
    assert parse_date("26-FEB-1987 15:01:01.79") == "1987-02-26"
    assert parse_date("last Tuesday") == "" and parse_date(None) == ""


def test_missing_archive_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["archive", "search", "--db", str(tmp_path / "none.db"), "oil"])
    assert result.exit_code == 3 and "no archive at" in result.output


# --- the command line (the "done when") ---------------------------------------------------


def test_cli_add_twice_then_search_region_about(archive_url, tagged_records):
    for expected in ("added 10, replaced 0, unchanged 0, errors 0", "added 0, replaced 0, unchanged 10, errors 0"):
        result = runner.invoke(app, ["archive", "add", "--db", archive_url, str(ARTICLES)])
        assert result.exit_code == 0, result.output
        assert expected in result.stdout
    result = runner.invoke(app, ["archive", "search", "--db", archive_url, "--region", "CU", "--relevance", "about",
                                 "--format", "jsonl", "--limit", "1000"])
    assert result.exit_code == 0, result.output
    found = [orjson.loads(line) for line in result.stdout.splitlines()]
    expected = [r for r in tagged_records if any(x["code"] == "CU" and x["relevance"] == "about" for x in r["regions"])]
    assert sorted(found, key=lambda r: r["id"]) == sorted(expected, key=lambda r: r["id"])
    result = runner.invoke(app, ["archive", "search", "--db", archive_url, "--region", "CU", "--count"])
    assert result.stdout.strip() == str(sum(any(x["code"] == "CU" for x in r["regions"]) for r in tagged_records))
    result = runner.invoke(app, ["archive", "search", "--db", archive_url, "--relevance", "about"])
    assert result.exit_code == 2 and "give a region" in result.output
    result = runner.invoke(app, ["archive", "stats", "--db", archive_url, "--by", "region"])
    assert result.exit_code == 0 and "10 articles" in result.stdout and "Cuba" in result.stdout
    result = runner.invoke(app, ["archive", "search", "--db", archive_url, "--format", "csv", "copper"])
    assert result.stdout.splitlines()[1].startswith("cl-copper,2024-02-20,")


@pytest.mark.parametrize("given", [dict(), dict(query="the"), dict(query="the", region="US")])
def test_facets_of_a_large_result_count_its_newest_articles(filled, tagged_records, dates, given):
    # With full text, PostgreSQL reads the newest matches in date slices (queries.newest_seqs).
    from newstag.archive.facets import facet_counts

    filters = Filters(**given)
    matching = _ids(search(filled, filters, limit=100))
    assert len(matching) > 2
    facets = facet_counts(filled, filters, sample=2)
    newest = matching[:2]
    assert facets.sampled and facets.counted == 2
    expected = {}
    for r in tagged_records:
        if r["id"] in newest:
            for t in r["general"]:
                expected[t["code"]] = expected.get(t["code"], 0) + 1
    assert {f.value: f.count for f in facets.values["topic"]} == expected
    if not given:
        assert newest == _dated_order(tagged_records, dates)[:2]


@pytest.mark.parametrize("given", [dict(), dict(region="CU"), dict(query="Havana"), dict(query="Havana", region="CU"),
                                   dict(query="the", topic="medtop:04000000", region="US"), dict(region="419", relevance="about")])
def test_a_page_counts_its_total_up_to_a_cap(filled, given):
    """search_page: the hits of `search`, and the exact total up to the cap, else the cap as a
    lower bound ("more than cap"); the cap never hides whether a next page exists."""
    from newstag.archive.queries import Total, search_page

    filters = Filters(**given)
    exact = count(filled, filters)
    assert exact >= 1, given
    for cap in (0, 1, exact - 1, exact, exact + 5):
        if cap < 0:
            continue
        page = search_page(filled, filters, limit=2, offset=0, cap=cap)
        assert _ids(page.hits) == _ids(search(filled, filters, limit=2))
        # The cap is raised to the page's end (2): below it the count is exact or "more than 2".
        shown = max(cap, 2)
        assert page.total == (Total(exact, False) if exact <= shown else Total(shown, True)), (cap, exact)
    deep = search_page(filled, filters, limit=3, offset=exact - 1, cap=1)  # the last match, alone on its page
    assert _ids(deep.hits) == _ids(search(filled, filters, limit=3, offset=exact - 1)) and len(deep.hits) == 1
    assert deep.total == Total(exact, False)


def test_a_postgresql_bulk_load_stores_the_vectors_the_server_computes(postgres_server, tagged_records, tmp_path):
    # add --tagged (a bulk load) has the vectors computed by sessions of their own and copied in
    # as text (PostgresBackend.loading): each must equal to_tsvector of the stored title and
    # text, for every article, as `archive add` (no bulk) has the server compute it in place.
    from newstag.archive.schema import FTS_CONFIG, FULL_TEXT, pg_document

    tagged = tmp_path / "tagged.jsonl"
    tagged.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in tagged_records))
    with open_archive(postgres_server.new_database()) as backend:
        assert commands.add_tagged(backend, [str(tagged)]).counts.added == len(tagged_records)
        rows = backend.query(
            f"SELECT count(*), count(*) FILTER (WHERE f.fts = to_tsvector('{FTS_CONFIG}', {pg_document(FULL_TEXT, 'b.')})), "
            f"count(*) FILTER (WHERE f.published = a.published) "
            f"FROM article_bodies b JOIN articles_fts f ON f.seq = b.seq JOIN articles a ON a.seq = b.seq"
        )
        assert rows == [(len(tagged_records),) * 3]
        assert backend.query("SELECT count(*) FROM articles_fts WHERE length(fts) > 0")[0][0] == len(tagged_records)


def test_a_bulk_chunk_with_an_id_twice_and_an_unchanged_record_stores_the_right_rows(archive_url, tagged_records, tmp_path):
    # add --tagged builds a chunk's rows before it knows which articles it stores (prepare_chunk);
    # with one unchanged and an id given twice, the rows stored are those of the stored versions.
    first, new, twice_a, twice_b = (dict(r) for r in tagged_records[:4])
    twice_a["id"] = twice_b["id"] = "twice"
    stored = tmp_path / "stored.jsonl"
    stored.write_bytes(orjson.dumps(first) + b"\n")
    chunk = tmp_path / "chunk.jsonl"
    chunk.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in (first, new, twice_a, twice_b)))
    with open_archive(archive_url) as backend:
        commands.add_tagged(backend, [str(stored)])
        counts = commands.add_tagged(backend, [str(chunk)]).counts
        assert (counts.added, counts.replaced, counts.unchanged) == (2, 1, 1)
        assert total(backend) == 3
        assert get_article(backend, "twice").record == twice_b
        expected: dict[str, int] = {}
        for record in (first, new, twice_b):
            for code in {t["code"] for t in record["general"]}:
                expected[code] = expected.get(code, 0) + 1
        assert {code: n for code, _, n in stats(backend, "topic")} == expected
        seqs = [seq for (seq,) in backend.query("SELECT seq FROM articles")]
        assert len(set(seqs)) == 3
        assert backend.query("SELECT count(DISTINCT seq) FROM article_bodies")[0][0] == 3
