"""Which card snapshot and which prefecture aggregation reproduce figure 23's 2021 card column?

Reads the built warehouse (read-only): every snapshot in stg_mic__mynumber_card_issuance x three
aggregations, turned into deviation scores (population sd) and compared with jri_prefecture_deviation.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

AGGREGATIONS = {
    "issued_over_population": "100.0 * sum(cards_issued) / sum(population)",
    "mean_of_municipal_rates": "avg(cast(issuance_rate_pct as double))",
    "median_of_municipal_rates": "median(cast(issuance_rate_pct as double))",
}

QUERY = """
with rates as (
    select snapshot_date, left(municipality_code, 2) as prefecture_code, {expr} as rate
    from staging.stg_mic__mynumber_card_issuance
    group by 1, 2
),
scored as (
    select snapshot_date, prefecture_code,
        50 + 10 * (rate - avg(rate) over (partition by snapshot_date))
        / stddev_pop(rate) over (partition by snapshot_date) as score
    from rates
)
select scored.snapshot_date, max(abs(score - p.deviation_score)), avg(abs(score - p.deviation_score))
from scored
join published.jri_prefecture_deviation as p
    on p.pref_code = scored.prefecture_code and p.domain = 'mynumber_card' and p.fiscal_year = {year}
group by 1 order by 1
"""


def card_fit(db: Path, year: int = 2021) -> list[tuple[str, str, float, float]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = []
        for name, expr in AGGREGATIONS.items():
            for snap, mx, mean in con.sql(QUERY.format(expr=expr, year=year)).fetchall():
                out.append((str(snap), name, float(mx), float(mean)))
        return out
    finally:
        con.close()


def card_fit_markdown(db: Path, year: int = 2021) -> str:
    lines = ["| snapshot | prefecture aggregation | max abs diff | mean abs diff |", "|---|---|---|---|"]
    for snap, name, mx, mean in card_fit(db, year):
        lines.append(f"| {snap} | {name} | {mx:.3f} | {mean:.3f} |")
    return "\n".join(lines)
