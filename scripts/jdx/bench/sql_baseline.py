"""The key marts in plain DuckDB SQL, in one process: the warehouse's own SQL engine without dbt,
from the same raw answer files and configuration CSVs.

Written independently of the dbt models (no macro, no model SQL shared), it is (1) the honest
comparison with the analyst's pandas script in `make bench`, and (2) a check that the dbt chain
computes what the method says (tests/python/bench/test_marts_independent.py): class domain means,
achievement tallies and prefecture deviation scores, the same three results as pandas_baseline.

One pass: in one in-memory DuckDB connection the configuration CSVs become small temporary tables,
the answer files are read once (CSV format stated, nothing sniffed; only the four columns the
rules need) into one narrow table (integer slot and municipality ids, precedence, the mark), each
distinct mark is matched to the vocabulary once, the winning answer per (edition, item,
municipality) is kept, the fact grid is aggregated once to one row per (year, domain,
municipality), and the three results are small queries over that table. Nothing is read from a
warehouse.

The rules, the same as the warehouse's: an answer's edition stands in for another when
cfg_editions.stands_in_for says so, and is placed on an item through the crosswalk of the edition
it stands for (cfg_item_crosswalk, cfg_items); its mark is matched to cfg_answer_vocabulary once per
distinct (value_type, raw_value), exact before blank before regex; per (edition, item,
municipality) the official answer wins over a stand-in, then the lower edition_id (the whole
winning answer is taken, its status and value together); the grid is every (analysis year, item)
of the crosswalk x every municipality, each cell reading the edition cfg_substitutions names for
it or else its own; size classes come from cfg_size_classes over the MIC reference, population and
designations."""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd

ANSWER_COLUMNS = ("seed_row", "edition_id", "source_file", "source_row", "source_column", "municipality_code",
                  "municipality_name", "question_group", "question_id", "raw_value")

CONFIG = {
    "editions": "config/cfg_editions.csv",
    "crosswalk": "config/cfg_item_crosswalk.csv",
    "items": "config/cfg_items.csv",
    "vocab": "config/cfg_answer_vocabulary.csv",
    "subs": "config/cfg_substitutions.csv",
    "domains": "config/cfg_domains.csv",
    "classes": "config/cfg_size_classes.csv",
    "muni": "reference/ref_mic_municipalities.csv",
    "pop": "reference/ref_resident_population.csv",
    "des": "reference/ref_city_designations.csv",
}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_csv(columns: list[str] | tuple[str, ...]) -> str:
    """read_csv of the files in $path with the format stated: comma, double-quote quoting and
    escaping, a header line, the given columns all text (an empty field reads as null)."""
    struct = ", ".join(f"{_literal(c)}: 'varchar'" for c in columns)
    return ("read_csv($path, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
            f"encoding = 'utf-8', columns = {{{struct}}})")


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


_STEPS = [
    # size classes: one row per municipality with its prefecture, its class and a small integer id
    """
    create temp table m_classed as
    with m as (
        select muni.municipality_code, muni.prefecture_code, muni.mic_type,
            cast(pop.population as bigint) as population, des.designation
        from muni
        inner join pop on muni.municipality_code = pop.municipality_code
        left join des on muni.municipality_code = des.municipality_code and des.designation in ('designated_city', 'core_city')
    )
    select row_number() over (order by m.municipality_code) as muni_id,
        m.municipality_code, m.prefecture_code, classes.size_class
    from m
    inner join classes on
        case classes.rule
            when 'designation' then m.designation = classes.designation
            when 'population' then m.designation is null
                and list_contains(string_split(classes.mic_types, ';'), m.mic_type)
                and m.population >= cast(classes.min_population as bigint)
                and (classes.max_population_exclusive is null or m.population < cast(classes.max_population_exclusive as bigint))
            else m.designation is null and list_contains(string_split(classes.mic_types, ';'), m.mic_type)
        end
    """,
    # the (edition, item) slots an answer can fill, each with an integer id
    """
    create temp table slots as
    select row_number() over (order by edition_id, item_code) as slot, edition_id, item_code
    from (select distinct edition_id, item_code from crosswalk)
    """,
    # every (answer edition, question) placed: the slot of the edition it answers for (itself, or the
    # one it stands in for) and the item; its precedence (official before stand-in, then edition_id)
    """
    create temp table questions as
    with ranked as (
        select edition_id, coalesce(stands_in_for, edition_id) as target,
            dense_rank() over (order by case when stands_in_for is null then 0 else 1 end, edition_id) as precedence
        from editions
    )
    select ranked.edition_id, crosswalk.question_id, slots.slot, ranked.precedence, items.value_type
    from ranked
    inner join crosswalk on ranked.target = crosswalk.edition_id
    inner join items on crosswalk.item_code = items.item_code
    inner join slots on crosswalk.edition_id = slots.edition_id and crosswalk.item_code = slots.item_code
    """,
    # the answer files, read once, narrow: slot, municipality, precedence, value type and mark (answers
    # of a municipality outside the grid fill no cell)
    """
    create temp table answers as
    select questions.slot, m_classed.muni_id, questions.precedence, questions.value_type, raw.raw_value
    from ANSWER_FILES as raw
    inner join questions on raw.edition_id = questions.edition_id and raw.question_id = questions.question_id
    inner join m_classed on raw.municipality_code = m_classed.municipality_code
    """,
    # each distinct (value type, mark) matched to the vocabulary once: exact before blank before regex
    r"""
    create temp table marks as
    with pairs as (select distinct value_type, raw_value from answers),
    matched as (
        select pairs.value_type, pairs.raw_value,
            arg_min(vocab.status, case vocab.match_kind when 'exact' then 1 when 'blank' then 2 else 3 end) as status
        from pairs
        left join vocab on pairs.value_type = vocab.value_type and (
            (vocab.match_kind = 'exact' and pairs.raw_value = vocab.raw_value)
            or (vocab.match_kind = 'blank' and coalesce(trim(pairs.raw_value), '') = '')
            or (vocab.match_kind = 'regex' and regexp_full_match(pairs.raw_value, vocab.raw_value)))
        group by all
    )
    select row_number() over (order by value_type, raw_value) as mark, value_type, raw_value,
        case status when 'implemented' then 1.0 when 'not_implemented' then 0.0 end as in_place,
        case when status = 'value' then cast(regexp_extract(raw_value, '[0-9]+(\.[0-9]+)?', 0) as double) end as value
    from matched
    """,
    # per (slot, municipality) the winning answer: the lowest precedence (one integer packs the
    # precedence and the answer's mark, so the winner's mark comes with it)
    """
    create temp table chosen as
    select answers.slot, answers.muni_id, min(answers.precedence * 4294967296 + marks.mark) % 4294967296 as mark
    from answers
    inner join marks on answers.value_type = marks.value_type and answers.raw_value is not distinct from marks.raw_value
    group by answers.slot, answers.muni_id
    """,
    # the fact grid aggregated once: one row per (year, report domain, municipality) with the
    # domain rate over the in_domain_mean items and the tally counts over the in_tallies items; a
    # cell reads the slot of its own edition, or of the edition cfg_substitutions names for it
    """
    create temp table scores as
    with year_items as materialized (
        select row_number() over (order by crosswalk.edition_id, crosswalk.question_id, crosswalk.item_code) as year_item,
            crosswalk.survey_program, editions.analysis_fiscal_year,
            cast(editions.analysis_fiscal_year as integer) as year, items.domain, items.value_type,
            crosswalk.in_domain_mean = 'true' as in_domain_mean, crosswalk.in_tallies = 'true' as in_tallies,
            slots.slot, crosswalk.item_code
        from crosswalk
        inner join editions on crosswalk.edition_id = editions.edition_id
        inner join items on crosswalk.item_code = items.item_code
        inner join domains on items.domain = domains.domain and domains.is_report_domain = 'true'
        inner join slots on crosswalk.edition_id = slots.edition_id and crosswalk.item_code = slots.item_code
        where editions.analysis_fiscal_year is not null
    ),
    substituted as (
        select year_items.year_item, m_classed.muni_id, slots.slot
        from year_items
        inner join subs on year_items.analysis_fiscal_year = subs.analysis_fiscal_year
            and year_items.survey_program = subs.survey_program
        inner join m_classed on subs.municipality_code = m_classed.municipality_code
        left join slots on subs.substitute_edition_id = slots.edition_id and year_items.item_code = slots.item_code
    ),
    f as (
        select year_items.year, year_items.domain, year_items.value_type, year_items.in_domain_mean,
            year_items.in_tallies, m_classed.muni_id, marks.in_place, marks.value
        from year_items
        cross join m_classed
        left join substituted on year_items.year_item = substituted.year_item and m_classed.muni_id = substituted.muni_id
        left join chosen on chosen.slot = case when substituted.year_item is null then year_items.slot else substituted.slot end
            and m_classed.muni_id = chosen.muni_id
        left join marks on chosen.mark = marks.mark
    ),
    agg as (
        select year, domain, muni_id,
            count(*) filter (where in_domain_mean) as n_mean,
            case when bool_and(value_type = 'flag') filter (where in_domain_mean)
                then 100 * avg(in_place) filter (where in_domain_mean)
                else avg(value) filter (where in_domain_mean) end as rate,
            count(*) filter (where in_tallies) as n,
            count(in_place) filter (where in_tallies) as answered,
            sum(in_place) filter (where in_tallies) as placed
        from f
        group by year, domain, muni_id
    )
    select agg.*, m_classed.prefecture_code, m_classed.size_class
    from agg inner join m_classed on agg.muni_id = m_classed.muni_id
    """,
]

RATES_BY_CLASS = """
select year, domain, size_class, avg(rate) as domain_rate_pct
from scores where n_mean > 0 group by all order by all
"""

TALLIES = """
select year, domain, size_class,
    count(*) filter (where placed = n) as all_items_achieved,
    count(*) filter (where placed = 0) as no_item_achieved
from scores where n > 0 and answered = n group by all order by all
"""

PREFECTURE_DEVIATION = """
with pref as (
    select year, domain, prefecture_code, avg(rate) as rate
    from scores where n_mean > 0 and domain != 'mynumber_card' group by all
)
select year, domain, prefecture_code, rate,
    50 + 10 * (rate - avg(rate) over (partition by year, domain))
    / stddev_pop(rate) over (partition by year, domain) as deviation_score
from pref order by all
"""


def compute(repo: Path, answer_files: list[Path]) -> dict[str, pd.DataFrame]:
    """The three results of pandas_baseline.compute, in DuckDB SQL (a fresh in-memory database)."""
    seeds = repo / "seeds"
    con = duckdb.connect(config={"preserve_insertion_order": False})
    try:
        con.execute("set enable_progress_bar = false")
        for name, relative in CONFIG.items():
            path = seeds / relative
            con.execute(f"create temp table {name} as select * from {_read_csv(_header(path))}", {"path": str(path)})
        for step in _STEPS:
            if "ANSWER_FILES" in step:
                con.execute(step.replace("ANSWER_FILES", _read_csv(ANSWER_COLUMNS)), {"path": [str(p) for p in answer_files]})
            else:
                con.execute(step)
        return {
            "rates_by_class": con.execute(RATES_BY_CLASS).df(),
            "tallies": con.execute(TALLIES).df(),
            "prefecture_deviation": con.execute(PREFECTURE_DEVIATION).df(),
        }
    finally:
        con.close()
