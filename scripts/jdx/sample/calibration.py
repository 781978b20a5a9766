"""Calibration report: every target the sample is held to, what it achieved, and pass/fail.

Computed here from the generated matrices (official cells included) so the generator can say
what it hit; tests/python/sample/test_sample_calibration.py checks the same targets independently on
the built warehouse's marts."""
from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .generate import FLAG_DOMAINS, PROCEDURE_DOMAINS, REFERENCE_ITEM, Sample, claim_band, claim_value
from .universe import CLASSES, Published, Universe

REPO = Path(__file__).resolve().parents[3]
ASSUMPTIONS = Path(__file__).parent / "assumptions.toml"
CLAIM_MISSES = Path(__file__).parent / "claim_misses.toml"

ITEM_TOLERANCE = 0.3
DEVIATION_MAX = 1.0
DEVIATION_MEAN = 0.3
TALLY_CLASS_TOLERANCE = 1
COHERENCE_MIN = 95.0
SCORED_DOMAINS = ("dx_governance", "service_advancement", "service_improvement", "online_high_volume", "online_life_events")


@dataclass(frozen=True)
class Check:
    group: str
    target: str
    expected: str
    achieved: float
    diff: float | None
    passed: bool


def deviation_scores(values: np.ndarray) -> np.ndarray:
    return 50 + 10 * (values - values.mean()) / values.std()  # numpy std is the population sd


def municipal_domain_rates(sample: Sample, domain: str, year: int) -> np.ndarray:
    if domain in PROCEDURE_DOMAINS:
        existing, online = sample.procedures[(domain, year)]
        return 100.0 * online / existing
    return 100.0 * sample.flags[(domain, year)].mean(axis=1)


def claim_checks(sample: Sample, u: Universe, repo: Path = REPO) -> list[Check]:
    """The report's text claims the generator is held to (claims of seeds/published/
    jri_text_claims.csv named in assumptions.toml), measured on the generated matrices."""
    assumptions = tomllib.loads(ASSUMPTIONS.read_text(encoding="utf-8"))
    out: list[Check] = []

    def exact(claim_id: str, what: str, achieved: float) -> None:
        expected = claim_value(repo, claim_id)
        out.append(Check("text claim", f"{claim_id} {what}", f"{expected:g}", achieved, achieved - expected,
                         abs(achieved - expected) <= 1e-9))

    gov = sample.flag_items["dx_governance"]
    cross, unit = gov.index("cross_department_structure"), gov.index("dedicated_dx_unit")
    for year, claim_id in assumptions["joint_unit_structure"].items():
        x = sample.flags[("dx_governance", int(year))]
        exact(claim_id, f"{year} bodies with a cross-department structure and no dedicated unit",
              float(((x[:, cross] == 1) & (x[:, unit] == 0)).sum()))
    for year, claims in assumptions["pooled_online"].items():
        existing = sum(sample.procedures[(d, int(year))][0] for d in PROCEDURE_DOMAINS)
        online = sum(sample.procedures[(d, int(year))][1] for d in PROCEDURE_DOMAINS)
        if not isinstance(existing, np.ndarray) or not isinstance(online, np.ndarray):
            raise TypeError(f"{year}: no procedure domains to pool")
        pooled = 100.0 * online / existing
        exact(claims["zero_bodies"], f"{year} bodies with no procedure online", float((online == 0).sum()))
        if "top_rate" in claims:
            top = float(np.round(pooled.max(), 1))
            exact(claims["top_rate"], f"{year} highest pooled online rate (one decimal)", top)
            exact(claims["top_bodies"], f"{year} bodies at the highest pooled rate", float((np.round(pooled, 1) == top).sum()))
    tally = {y: sum(sample.flags[(d, y)].sum(axis=1) for d in FLAG_DOMAINS) for y in (2021, 2023)}
    full = sum(len(sample.flag_items[d]) for d in FLAG_DOMAINS)
    spec = assumptions["pooled_tallies"]
    exact(spec["at_max_2021"], "2021 bodies at the highest pooled tally", float((tally[2021] == tally[2021].max()).sum()))
    for name, claim_id in spec["all_2023"].items():
        rows = np.isin(u.cls, [CLASSES.index(c) for c in spec["class_groups"][name]])
        exact(claim_id, f"2023 bodies with all {full} items, {name}", float((tally[2023][rows] == full).sum()))
    for target in assumptions.get("class_item_minima", []):
        x = sample.flags[(target["domain"], int(target["year"]))]
        rows = u.cls == CLASSES.index(target["size_class"])
        lowest = float(100.0 * x[rows].mean(axis=0).min())
        bound = claim_band(repo, target["claim"])[0]
        out.append(Check("text claim", f"{target['claim']} {target['year']} lowest {target['domain']} item, "
                         f"{target['size_class']}", f">= {bound:g}", lowest, None, lowest >= bound))
    if "plan_without_website" in assumptions:
        claim_id = assumptions["plan_without_website"]["claim"]
        plan = sample.flags[("dx_governance", 2023)][:, gov.index("dx_master_plan")] == 1
        website = sample.flags[("service_improvement", 2023)][:, sample.flag_items["service_improvement"].index("website_evaluated")]
        got = float((plan & (website == 0)).sum())
        bound = claim_band(repo, claim_id)[0]
        out.append(Check("text claim", f"{claim_id} 2023 bodies with a master plan and no website evaluation",
                         f">= {bound:g}", got, None, got >= bound))
    for item, claim_id in assumptions["plan_followup"].items():
        exact(claim_id, f"2023 master-plan bodies with {item}", float((sample.plan_followup[item] == 1).sum()))
    return out


def checks(sample: Sample, u: Universe, pub: Published) -> list[Check]:
    out: list[Check] = []
    # item rates and domain means
    for (domain, item, year), (value, source) in sorted(pub.item_rates.items()):
        if item == "_domain_mean":
            achieved = float(municipal_domain_rates(sample, domain, year).mean())
        elif item == REFERENCE_ITEM:
            achieved = 100.0 * float(sample.reference[year].mean())
        else:
            j = sample.flag_items[domain].index(item)
            achieved = 100.0 * float(sample.flags[(domain, year)][:, j].mean())
        if "lower bound" in source:
            out.append(Check("item rate", f"{domain}.{item} {year}", f">= {value}", achieved, None, achieved >= value))
        elif "upper bound" in source:
            out.append(Check("item rate", f"{domain}.{item} {year}", f"<= {value}", achieved, None, achieved <= value))
        else:
            diff = achieved - value
            out.append(Check("item rate", f"{domain}.{item} {year}", f"{value} ± {ITEM_TOLERANCE}", achieved, diff,
                             abs(diff) <= ITEM_TOLERANCE + 1e-9))
    # tallies
    for (domain, size_class, year), (n_all, n_none) in sorted(pub.tallies.items()):
        x = sample.flags[(domain, year)]
        rows = np.ones(u.n, dtype=bool) if size_class == "all" else u.cls == CLASSES.index(size_class)
        tol = 0 if size_class == "all" else TALLY_CLASS_TOLERANCE
        got_all = int((x[rows].sum(axis=1) == x.shape[1]).sum())
        got_none = int((x[rows].sum(axis=1) == 0).sum())
        out.append(Check("tally", f"{domain} {size_class} {year} all items", f"{n_all} ± {tol}", got_all, got_all - n_all,
                         abs(got_all - n_all) <= tol))
        out.append(Check("tally", f"{domain} {size_class} {year} no item", f"{n_none} ± {tol}", got_none, got_none - n_none,
                         abs(got_none - n_none) <= tol))
    # prefecture deviation scores
    sizes = u.pref_sizes()
    for domain in SCORED_DOMAINS:
        for year in (2021, 2023):
            rates = municipal_domain_rates(sample, domain, year)
            pref_means = np.bincount(u.pref, weights=rates, minlength=len(sizes)) / sizes
            diff = np.abs(deviation_scores(pref_means) - pub.deviation[(domain, year)])
            out.append(Check("prefecture deviation", f"{domain} {year} max |diff|", f"<= {DEVIATION_MAX}",
                             float(diff.max()), None, float(diff.max()) <= DEVIATION_MAX))
            out.append(Check("prefecture deviation", f"{domain} {year} mean |diff|", f"<= {DEVIATION_MEAN}",
                             float(diff.mean()), None, float(diff.mean()) <= DEVIATION_MEAN))
    # size-class gradient (service advancement 2023, the report's text)
    rates = municipal_domain_rates(sample, "service_advancement", 2023)
    bands = {"designated_city": (80, 90), "core_city": (80, 90), "large_city": (80, 90), "small_city": (55, 65),
             "town": (30, 40), "village": (30, 40)}
    for size_class, (lo, hi) in bands.items():
        got = float(rates[u.cls == CLASSES.index(size_class)].mean())
        out.append(Check("class gradient", f"service_advancement 2023 {size_class}", f"{lo}–{hi}", got, None, lo <= got <= hi))
    # coherence: an item in place in 2021 is in place in 2023
    for domain in FLAG_DOMAINS:
        x21, x23 = sample.flags[(domain, 2021)], sample.flags[(domain, 2023)]
        for j, item in enumerate(sample.flag_items[domain]):
            held = x21[:, j] == 1
            kept = 100.0 * float((x23[held, j] == 1).mean()) if held.any() else 100.0
            out.append(Check("coherence", f"{domain}.{item} kept 2021→2023", f">= {COHERENCE_MIN}%", kept, None,
                             kept >= COHERENCE_MIN))
    return out + claim_checks(sample, u)


def _claims(repo: Path) -> dict[str, dict[str, str]]:
    with (repo / "seeds/published/jri_text_claims.csv").open(encoding="utf-8", newline="") as fh:
        return {row["claim_id"]: row for row in csv.DictReader(fh)}


def claims_markdown(repo: Path = REPO) -> list[str]:
    """The text claims on sample inputs the sample does not meet (claim_misses.toml) and the
    claims the official data cannot meet (cfg_text_claim_measures.known_difference)."""
    claims = _claims(repo)
    misses = tomllib.loads(CLAIM_MISSES.read_text(encoding="utf-8"))
    lines = [
        "",
        "## Text claims the sample does not meet yet",
        "",
        f"{len(misses['misses'])} claims of seeds/published/jri_text_claims.csv that rest on sample cells are outside their",
        "rule (docs/generated/scorecard.md has every claim with its rule and status). Each is listed here with its reason;",
        "tests/python/sample/test_sample_calibration.py fails when this list and the scorecard disagree.",
        "",
    ]
    for key, text in misses["reasons"].items():
        ids = [cid for cid, m in misses["misses"].items() if m["reason"] == key]
        lines += [f"**{key}** ({len(ids)}): {text}", ""]
        lines += ["| claim | refers to | published | rule | ours | why, with the numbers |", "|---|---|---|---|---|---|"]
        for cid in ids:
            c = claims[cid]
            ours = misses["misses"][cid]["ours"]
            why = misses["misses"][cid].get("why", "")
            lines.append(f"| {cid} | {c['refers_to'].replace('|', '/')} | {c['published_value']} | "
                         f"{c['rule'].replace('|', chr(92) + '|')} | {ours} | {why.replace('|', '/')} |")
        lines.append("")
    figure = misses.get("figure_misses", {})
    lines += [
        "## Figure-table values outside their tolerance",
        "",
        f"{len(figure)} values of the figure tables that rest on sample or official-proxy inputs are outside their",
        "tolerance (docs/generated/scorecard.md); tests/python/sample/test_sample_calibration.py fails when this list and the scorecard disagree.",
        "",
        "| measure / domain / prefecture / year | ours | why, with the numbers |",
        "|---|---:|---|",
    ]
    for key, entry in figure.items():
        lines.append(f"| {key.replace('|', ' / ')} | {entry['ours']} | {entry['why'].replace('|', '/')} |")
    lines.append("")
    lines += ["## Claims the official data cannot meet", ""]
    with (repo / "seeds/config/cfg_text_claim_measures.csv").open(encoding="utf-8", newline="") as fh:
        known = [r for r in csv.DictReader(fh) if r["known_difference"]]
    for r in known:
        c = claims[r["claim_id"]]
        lines.append(f"- {r['claim_id']} ({c['quote_ja']}; published {c['published_value']}): {r['known_difference']}")
    return lines


def report_markdown(results: list[Check], misses: list[str]) -> str:
    n_pass = sum(c.passed for c in results)
    lines = [
        "# Sample calibration report",
        "",
        "Generated by `python -m jdx sample` (run by `make build` and `make test`); do not edit by hand.",
        "**Every value here rests on generated sample data** (plus the official answers it is conditioned on):",
        "the MIC survey files for 2021 and 2023, the AI/RPA, open data and online-procedure lists are not",
        "available in this workplace. The sample stands in for them until they are ingested.",
        "",
        f"Targets met: **{n_pass} of {len(results)}**. Tolerances: item rates and domain means ±{ITEM_TOLERANCE} pt (bounds as published);",
        f"tallies exact nationally, ±{TALLY_CLASS_TOLERANCE} body per class; prefecture deviation scores max |diff| ≤ {DEVIATION_MAX}, mean ≤ {DEVIATION_MEAN};",
        f"coherence ≥ {COHERENCE_MIN}% of 2021 holders keep the item in 2023. Targets and assumptions: scripts/jdx/sample/assumptions.toml.",
        "",
        "| group | target | expected | achieved | diff | pass |",
        "|---|---|---|---:|---:|---|",
    ]
    for c in results:
        diff = "" if c.diff is None else f"{c.diff:+.2f}"
        lines.append(f"| {c.group} | {c.target} | {c.expected} | {c.achieved:.2f} | {diff} | {'pass' if c.passed else '**FAIL**'} |")
    if misses:
        lines += ["", "Construction notes (cells the exact construction could not place as planned):", ""]
        lines += [f"- {m}" for m in misses]
    lines += claims_markdown()
    return "\n".join(lines) + "\n"


def write_report(path: Path, results: list[Check], misses: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_markdown(results, misses), encoding="utf-8")
