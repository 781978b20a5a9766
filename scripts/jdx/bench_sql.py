"""The key marts in plain DuckDB SQL, in one process: the warehouse's own SQL engine without dbt,
from the same raw answer files and configuration CSVs (read in place, nothing materialised).

Written independently of the dbt models (no macro, no model SQL shared), it is (1) the honest
comparison with the analyst's pandas script in `make bench`, and (2) a check that the dbt chain
computes what the method says (tests/python/test_marts_independent.py): class domain means,
achievement tallies and prefecture deviation scores, the same three results as bench_pandas."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

_SQL = r"""
with

editions as (select * from read_csv($seeds || '/config/cfg_editions.csv', all_varchar = true)),
crosswalk as (select * from read_csv($seeds || '/config/cfg_item_crosswalk.csv', all_varchar = true)),
items as (select * from read_csv($seeds || '/config/cfg_items.csv', all_varchar = true)),
vocab as (select * from read_csv($seeds || '/config/cfg_answer_vocabulary.csv', all_varchar = true)),
subs as (select * from read_csv($seeds || '/config/cfg_substitutions.csv', all_varchar = true)),
domains as (select * from read_csv($seeds || '/config/cfg_domains.csv', all_varchar = true)),
classes as (select * from read_csv($seeds || '/config/cfg_size_classes.csv', all_varchar = true)),
muni as (select * from read_csv($seeds || '/reference/ref_mic_municipalities.csv', all_varchar = true)),
pop as (select * from read_csv($seeds || '/reference/ref_resident_population.csv', all_varchar = true)),
des as (select * from read_csv($seeds || '/reference/ref_city_designations.csv', all_varchar = true)),

m as (
    select
        muni.municipality_code,
        muni.prefecture_code,
        muni.mic_type,
        cast(pop.population as bigint) as population,
        des.designation
    from muni
    inner join pop on muni.municipality_code = pop.municipality_code
    left join des on muni.municipality_code = des.municipality_code and des.designation in ('designated_city', 'core_city')
),

m_classed as (
    select m.*, classes.size_class
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
),

raw as (
    select * from read_csv($files, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
        columns = {'seed_row': 'varchar', 'edition_id': 'varchar', 'source_file': 'varchar', 'source_row': 'varchar',
                   'source_column': 'varchar', 'municipality_code': 'varchar', 'municipality_name': 'varchar',
                   'question_group': 'varchar', 'question_id': 'varchar', 'raw_value': 'varchar'})
),

a as (
    select
        raw.edition_id,
        coalesce(editions.stands_in_for, raw.edition_id) as target,
        case when editions.stands_in_for is null then 0 else 1 end as priority,
        crosswalk.item_code,
        items.value_type,
        raw.municipality_code,
        raw.raw_value
    from raw
    inner join editions on raw.edition_id = editions.edition_id
    inner join crosswalk on coalesce(editions.stands_in_for, raw.edition_id) = crosswalk.edition_id
        and raw.question_id = crosswalk.question_id
    inner join items on crosswalk.item_code = items.item_code
),

pairs as (select distinct value_type, raw_value from a),

pair_status as (
    select pairs.value_type, pairs.raw_value,
        arg_min(vocab.status, case vocab.match_kind when 'exact' then 1 when 'blank' then 2 else 3 end) as status
    from pairs
    inner join vocab on pairs.value_type = vocab.value_type and (
        (vocab.match_kind = 'exact' and pairs.raw_value = vocab.raw_value)
        or (vocab.match_kind = 'blank' and coalesce(trim(pairs.raw_value), '') = '')
        or (vocab.match_kind = 'regex' and regexp_full_match(pairs.raw_value, vocab.raw_value)))
    group by all
),

chosen as (
    select
        a.target, a.item_code, a.municipality_code,
        arg_min(pair_status.status, (a.priority, a.edition_id)) as status,
        arg_min(case when pair_status.status = 'value'
            then cast(regexp_extract(a.raw_value, '[0-9]+(\.[0-9]+)?', 0) as double) end,
            (a.priority, a.edition_id)) as value
    from a
    left join pair_status on a.value_type = pair_status.value_type and a.raw_value is not distinct from pair_status.raw_value
    group by all
),

cells as (
    select
        crosswalk.item_code,
        cast(editions.analysis_fiscal_year as integer) as year,
        crosswalk.in_domain_mean,
        crosswalk.in_tallies,
        m_classed.municipality_code,
        m_classed.prefecture_code,
        m_classed.size_class,
        coalesce(subs.substitute_edition_id, crosswalk.edition_id) as value_edition
    from crosswalk
    inner join editions on crosswalk.edition_id = editions.edition_id
    cross join m_classed
    left join subs on m_classed.municipality_code = subs.municipality_code
        and editions.analysis_fiscal_year = subs.analysis_fiscal_year and crosswalk.survey_program = subs.survey_program
    where editions.analysis_fiscal_year is not null
),

f as (
    select
        cells.*,
        items.domain,
        items.value_type,
        chosen.value,
        case chosen.status when 'implemented' then 1.0 when 'not_implemented' then 0.0 end as in_place
    from cells
    inner join items on cells.item_code = items.item_code
    inner join domains on items.domain = domains.domain and domains.is_report_domain = 'true'
    left join chosen on cells.value_edition = chosen.target and cells.item_code = chosen.item_code
        and cells.municipality_code = chosen.municipality_code
),

rates as (
    select year, domain, municipality_code, any_value(prefecture_code) as prefecture_code,
        any_value(size_class) as size_class,
        case when bool_and(value_type = 'flag') then 100 * avg(in_place) else avg(value) end as rate
    from f
    where in_domain_mean = 'true'
    group by year, domain, municipality_code
)
"""

RATES_BY_CLASS = _SQL + """
select year, domain, size_class, avg(rate) as domain_rate_pct
from rates group by all order by all
"""

TALLIES = _SQL + """
, t as (
    select year, domain, municipality_code, any_value(size_class) as size_class,
        count(*) as n, count(in_place) as answered, sum(in_place) as placed
    from f where in_tallies = 'true' group by year, domain, municipality_code
)
select year, domain, size_class,
    count(*) filter (where placed = n) as all_items_achieved,
    count(*) filter (where placed = 0) as no_item_achieved
from t where answered = n group by all order by all
"""

PREFECTURE_DEVIATION = _SQL + """
, pref as (
    select year, domain, prefecture_code, avg(rate) as rate
    from rates where domain != 'mynumber_card' group by all
)
select year, domain, prefecture_code, rate,
    50 + 10 * (rate - avg(rate) over (partition by year, domain))
    / stddev_pop(rate) over (partition by year, domain) as deviation_score
from pref order by all
"""


def compute(repo: Path, answer_files: list[Path], con: duckdb.DuckDBPyConnection | None = None) -> dict[str, pd.DataFrame]:
    """The three results of bench_pandas.compute, in DuckDB SQL (an in-memory database)."""
    own = con is None
    con = con or duckdb.connect()
    con.execute("set enable_progress_bar = false")
    try:
        params = {"seeds": str(repo / "seeds"), "files": [str(p) for p in answer_files]}
        return {
            "rates_by_class": con.execute(RATES_BY_CLASS, params).df(),
            "tallies": con.execute(TALLIES, params).df(),
            "prefecture_deviation": con.execute(PREFECTURE_DEVIATION, params).df(),
        }
    finally:
        if own:
            con.close()
