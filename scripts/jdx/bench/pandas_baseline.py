"""The analyst's baseline: the key marts computed with plain pandas from the same raw files and
configuration CSVs the warehouse reads (no dbt, no SQL). Used by `make bench` to time the
alternative and to check that both give the same numbers."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

FLAG_MARKS_TYPES = ("flag", "percent", "count")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def compute(repo: Path, answer_files: list[Path]) -> dict[str, pd.DataFrame]:
    seeds = repo / "seeds"
    muni = _read(seeds / "reference/ref_mic_municipalities.csv")
    pop = _read(seeds / "reference/ref_resident_population.csv")
    des = _read(seeds / "reference/ref_city_designations.csv")
    classes = _read(seeds / "config/cfg_size_classes.csv")
    editions = _read(seeds / "config/cfg_editions.csv")
    crosswalk = _read(seeds / "config/cfg_item_crosswalk.csv")
    items = _read(seeds / "config/cfg_items.csv")
    vocab = _read(seeds / "config/cfg_answer_vocabulary.csv")
    subs = _read(seeds / "config/cfg_substitutions.csv")
    domains = _read(seeds / "config/cfg_domains.csv")

    # size classes
    m = muni.merge(pop[["municipality_code", "population"]], on="municipality_code")
    m["population"] = m["population"].astype(int)
    d = des[des.designation.isin(["designated_city", "core_city"])].set_index("municipality_code")["designation"]
    m["designation"] = m.municipality_code.map(d)
    m["size_class"] = None
    for rule in classes.itertuples():
        types = rule.mic_types.split(";") if rule.mic_types else []
        if rule.rule == "designation":
            mask = m.designation == rule.designation
        elif rule.rule == "population":
            hi = int(rule.max_population_exclusive) if rule.max_population_exclusive else np.inf
            mask = m.designation.isna() & m.mic_type.isin(types) & (m.population >= int(rule.min_population)) & (m.population < hi)
        else:
            mask = m.designation.isna() & m.mic_type.isin(types)
        m.loc[mask, "size_class"] = rule.size_class

    # answers -> items -> status
    answers = pd.concat([_read(p) for p in answer_files], ignore_index=True)
    ed = editions.assign(target=np.where(editions.stands_in_for != "", editions.stands_in_for, editions.edition_id),
                         priority=np.where(editions.stands_in_for != "", 1, 0))
    a = answers.merge(ed[["edition_id", "target", "priority"]], on="edition_id")
    a = a.merge(crosswalk[["edition_id", "question_id", "item_code"]].rename(columns={"edition_id": "target"}),
                on=["target", "question_id"])
    a = a.merge(items[["item_code", "value_type"]], on="item_code")
    status = pd.Series(index=a.index, dtype=object)
    for v in vocab.itertuples():  # first match wins per kind order: exact, blank, regex
        sel = (a.value_type == v.value_type) & status.isna()
        if v.match_kind == "exact":
            sel &= a.raw_value == v.raw_value
        elif v.match_kind == "blank":
            sel &= a.raw_value.str.strip() == ""
        else:
            sel &= a.raw_value.str.fullmatch(v.raw_value)
        status[sel] = v.status
    a["status"] = status
    a["value"] = pd.to_numeric(a.raw_value.str.extract(r"([0-9]+(?:\.[0-9]+)?)")[0], errors="coerce")
    a = a.sort_values(["priority", "edition_id"]).drop_duplicates(["target", "item_code", "municipality_code"])

    # expected cells with substitutions
    cw = crosswalk.merge(editions[["edition_id", "analysis_fiscal_year"]], on="edition_id")
    cw = cw[cw.analysis_fiscal_year != ""]
    cells = cw[["edition_id", "analysis_fiscal_year", "item_code", "survey_program", "in_domain_mean", "in_tallies"]].merge(
        m[["municipality_code", "prefecture_code", "size_class"]], how="cross")
    s = subs.rename(columns={"analysis_fiscal_year": "s_year", "survey_program": "s_program"})
    cells = cells.merge(s[["municipality_code", "s_year", "s_program", "substitute_edition_id"]], how="left",
                        left_on=["municipality_code", "analysis_fiscal_year", "survey_program"],
                        right_on=["municipality_code", "s_year", "s_program"])
    cells["value_edition"] = cells.substitute_edition_id.fillna(cells.edition_id)
    f = cells.merge(a[["target", "item_code", "municipality_code", "status", "value"]], how="left",
                    left_on=["value_edition", "item_code", "municipality_code"], right_on=["target", "item_code", "municipality_code"])
    f = f.merge(items[["item_code", "domain", "value_type"]], on="item_code")
    f["year"] = f.analysis_fiscal_year.astype(int)
    f["in_place"] = np.where(f.status == "implemented", 1.0, np.where(f.status == "not_implemented", 0.0, np.nan))

    report_domains = set(domains[domains.is_report_domain == "true"].domain)
    scored = f[f.domain.isin(report_domains) & (f.in_domain_mean == "true")]
    flag = scored[scored.value_type == "flag"]
    other = scored[scored.value_type != "flag"]
    rate_flag = flag.groupby(["year", "domain", "municipality_code"]).in_place.mean() * 100
    rate_other = other.groupby(["year", "domain", "municipality_code"]).value.mean()
    rates = pd.concat([rate_flag, rate_other]).rename("rate").reset_index().merge(
        m[["municipality_code", "prefecture_code", "size_class"]], on="municipality_code")
    by_class = rates.groupby(["year", "domain", "size_class"]).rate.mean().rename("domain_rate_pct").reset_index()

    tally = f[(f.in_tallies == "true") & f.domain.isin(report_domains)]
    t = tally.groupby(["year", "domain", "municipality_code"]).agg(n=("in_place", "size"), answered=("in_place", "count"),
                                                                   placed=("in_place", "sum")).reset_index()
    t = t[t.answered == t.n].merge(m[["municipality_code", "size_class"]], on="municipality_code")
    t["all"], t["none"] = t.placed == t.n, t.placed == 0
    tallies = t.groupby(["year", "domain", "size_class"]).agg(all_items_achieved=("all", "sum"),
                                                              no_item_achieved=("none", "sum")).reset_index()

    pref = rates[rates.domain != "mynumber_card"].groupby(["year", "domain", "prefecture_code"]).rate.mean().rename("rate").reset_index()
    g = pref.groupby(["year", "domain"]).rate
    pref["deviation_score"] = 50 + 10 * (pref.rate - g.transform("mean")) / g.transform(lambda x: x.std(ddof=0))
    return {"rates_by_class": by_class, "tallies": tallies, "prefecture_deviation": pref}
