"""Static report site (python -m jdx report): every figure family, a prefecture map and one page
per municipality, rendered from the warehouse opened read-only. No network at view time: one
shared plotly.min.js, no CDN, fonts from the system."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
from jinja2 import Environment, FileSystemLoader
from plotly.offline import get_plotlyjs

from ..io import progress

HERE = Path(__file__).parent
SAMPLE_NOTE = "※サンプルデータを含む（生成データ。公式値ではありません）"
YEAR_COLOURS = {2021: "#9fb3c8", 2023: "#12355b"}
BASIS_JA = {"official": "公式", "official_proxy": "公式（代替指標）", "sample": "サンプル", "mixed": "公式＋サンプル",
            "incomplete": "一部欠損"}
PAGES = [
    ("fig-rates.html", "項目別・規模別の実施率", "図2・3・6・7・10・11・14"),
    ("fig-tallies.html", "全項目実施・いずれも未実施の団体数", "図4・8・12"),
    ("fig-prefecture-ranges.html", "都道府県の最高・最低", "図5・9・13・15"),
    ("fig-deviation.html", "都道府県別偏差値と地図", "図17・23"),
    ("fig-towns-villages.html", "町村の割合と総合偏差値", "図18"),
    ("fig-mynumber.html", "マイナンバーカードと総合偏差値", "図19"),
    ("municipalities/index.html", "市区町村別プロフィール（1,741団体）", "検索"),
    ("data.html", "データの出典と版", "出典・サンプルの範囲"),
]


@dataclass
class Section:
    title: str
    charts: list[str]
    table: dict | None
    models: list[str]
    note: str | None = None


def pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:.{digits}f}%"


def num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:,.{digits}f}"


def basis_label(bases: pd.Series | list[str]) -> str | None:
    values = set(bases)
    return None if values <= {"official"} else SAMPLE_NOTE


def script_json(value: object) -> str:
    """JSON that is safe inside an HTML <script> element: <, >, & and the JS line separators are
    written as \\u escapes, so no value can close the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def chart_html(fig: go.Figure, bases: pd.Series | list[str], height: int = 420) -> str:
    note = basis_label(bases)
    if note:
        title = fig.layout.title.text or ""
        fig.update_layout(title={"text": f"{title}<br><span style='font-size:12px;color:#8a5a00'>{note}</span>"})
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 80, "b": 10},
                      font={"family": "Noto Sans CJK JP, sans-serif"}, paper_bgcolor="white", plot_bgcolor="white",
                      legend={"orientation": "h", "y": -0.15})
    return fig.to_html(full_html=False, include_plotlyjs=False, config={"displayModeBar": False, "responsive": True})


def table_html(frame: pd.DataFrame) -> dict:
    body = frame.to_html(index=False, escape=True, na_rep="–", border=0)
    return {"html": body, "n_rows": len(frame)}


class Report:
    def __init__(self, db: Path, out: Path) -> None:
        self.con = duckdb.connect(str(db), read_only=True)
        self.out = out
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
        self.built_on = dt.date.today().isoformat()

    def q(self, sql: str) -> pd.DataFrame:
        return self.con.sql(sql).df()

    def render(self, template: str, path: str, **context: object) -> None:
        root = "../" * path.count("/")
        text = self.env.get_template(template).render(root=root, built_on=self.built_on, **context)
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    # ---- figure pages -------------------------------------------------------------------
    def rates_page(self) -> None:
        rates = self.q("select * from rpt_fig02_06_10_item_rates_national order by domain_sort_order, item_sort_order, fiscal_year")
        published = self.q("select * from published.jri_item_rates")
        published["domain"] = published["domain"].str.replace("_reference", "")
        merged = rates.merge(published[["domain", "item_code", "fiscal_year", "rate_pct", "source"]],
                             on=["domain", "item_code", "fiscal_year"], how="left", suffixes=("", "_published"))
        sections = []
        for domain, frame in merged.groupby("domain_sort_order", sort=True):
            if frame["figure"].isna().all():
                continue
            name = frame["domain_name_ja"].iloc[0]
            fig = go.Figure()
            for year in (2021, 2023):
                part = frame[frame.fiscal_year == year]
                fig.add_bar(y=part["item_name_ja"], x=part["rate_pct"], name=f"{year}年度", orientation="h",
                            marker_color=YEAR_COLOURS[year], text=[pct(v) for v in part["rate_pct"]], textposition="outside")
                pub = part.dropna(subset=["rate_pct_published"])
                fig.add_scatter(y=pub["item_name_ja"], x=pub["rate_pct_published"], mode="markers", name=f"報告書 {year}年度",
                                marker={"symbol": "line-ns-open", "size": 16, "color": "#c0392b"})
            fig.update_layout(barmode="group", title=f"図{frame['figure'].iloc[0]} {name}（全国、%）",
                              yaxis={"autorange": "reversed"}, xaxis={"range": [0, 105]})
            table = frame.assign(
                年度=frame.fiscal_year, 項目=frame.item_name_ja, 実施率=frame.rate_pct.map(pct),
                報告書=frame.rate_pct_published.map(pct), 入力=frame.input_basis.map(BASIS_JA),
                サンプル割合=frame.sample_share_pct.map(pct),
            )[["年度", "項目", "実施率", "報告書", "入力", "サンプル割合"]]
            note = "「申請・届出等手続のオンライン化」は2023年度に設問が変わったため参考項目（分野平均の外）です。" if domain == 2 else None
            sections.append(Section(f"図{frame['figure'].iloc[0]} {name}", [chart_html(fig, frame.input_basis, 560)],
                                    table_html(table), ["rpt_fig02_06_10_item_rates_national"], note))
        by_class = self.q("""select * from rpt_fig03_07_11_14_rates_by_size_class where row_kind = 'domain_mean'
                             order by domain_sort_order, size_class_sort_order, fiscal_year""")
        for _, frame in by_class.groupby("domain_sort_order", sort=True):
            if frame["figure"].isna().all():
                continue
            name = frame["domain_name_ja"].iloc[0]
            fig = go.Figure()
            for year in (2021, 2023):
                part = frame[frame.fiscal_year == year]
                fig.add_bar(x=part["size_class_ja"], y=part["rate_pct"], name=f"{year}年度", marker_color=YEAR_COLOURS[year],
                            text=[pct(v) for v in part["rate_pct"]], textposition="outside")
            fig.update_layout(barmode="group", title=f"図{frame['figure'].iloc[0]} {name}（人口規模別の分野平均、%）",
                              yaxis={"range": [0, 105]})
            table = frame.assign(年度=frame.fiscal_year, 規模=frame.size_class_ja, 団体数=frame.n_bodies,
                                 分野平均=frame.rate_pct.map(pct), 入力=frame.input_basis.map(BASIS_JA)
                                 )[["年度", "規模", "団体数", "分野平均", "入力"]]
            sections.append(Section(f"図{frame['figure'].iloc[0]} {name}（規模別）", [chart_html(fig, frame.input_basis)],
                                    table_html(table), ["rpt_fig03_07_11_14_rates_by_size_class"]))
        self.render("figure.html", "fig-rates.html", title="項目別・規模別の実施率（図2・3・6・7・10・11・14）", plotly=True,
                    lead="各分野の項目別実施率（全国）と人口規模別の分野平均。赤い縦線は報告書の公表値です。", sections=sections)

    def tallies_page(self) -> None:
        tallies = self.q("select * from rpt_fig04_08_12_achievement_tallies order by domain_sort_order, size_class_sort_order, fiscal_year")
        published = self.q("select * from published.jri_achievement")
        merged = tallies.merge(published, on=["domain", "size_class", "fiscal_year"], how="left", suffixes=("", "_published"))
        sections = []
        for _, frame in merged.groupby("domain_sort_order", sort=True):
            name = frame["domain_name_ja"].iloc[0]
            classes = frame[frame.size_class != "all"]
            fig = go.Figure()
            for year in (2021, 2023):
                part = classes[classes.fiscal_year == year]
                fig.add_bar(x=part["size_class_ja"], y=part["all_items_achieved"], name=f"全項目実施 {year}年度",
                            marker_color=YEAR_COLOURS[year])
                fig.add_bar(x=part["size_class_ja"], y=-part["no_item_achieved"], name=f"いずれも未実施 {year}年度（下向き）",
                            marker_color="#e8a87c" if year == 2023 else "#f6d5c0")
            fig.update_layout(barmode="group", title=f"{name}：全項目実施（上）といずれも未実施（下）の団体数")
            table = frame.assign(年度=frame.fiscal_year, 規模=frame.size_class_ja, 団体数=frame.n_bodies,
                                 全項目実施=frame.all_items_achieved, 報告書_全項目=frame.all_items_achieved_published,
                                 いずれも未実施=frame.no_item_achieved, 報告書_未実施=frame.no_item_achieved_published,
                                 入力=frame.input_basis.map(BASIS_JA))[
                ["年度", "規模", "団体数", "全項目実施", "報告書_全項目", "いずれも未実施", "報告書_未実施", "入力"]]
            figure = frame["figure"].iloc[0] or ""
            sections.append(Section(f"図{figure} {name}", [chart_html(fig, frame.input_basis)], table_html(table),
                                    ["rpt_fig04_08_12_achievement_tallies"]))
        self.render("figure.html", "fig-tallies.html", title="全項目実施・いずれも未実施の団体数（図4・8・12）", plotly=True,
                    lead="分野の全項目を実施している団体と、いずれも実施していない団体の数（人口規模別）。", sections=sections)

    def ranges_page(self) -> None:
        ranges = self.q("select * from rpt_fig05_09_13_15_prefecture_item_ranges order by domain_sort_order, item_sort_order, fiscal_year")
        sections = []
        for _, frame in ranges.groupby("domain_sort_order", sort=True):
            name = frame["domain_name_ja"].iloc[0]
            part = frame[frame.fiscal_year == 2023]
            fig = go.Figure()
            for _, row in part.iterrows():
                fig.add_scatter(x=[row.bottom_rate_pct, row.top_rate_pct], y=[row.item_name_ja] * 2, mode="lines",
                                line={"color": "#9fb3c8", "width": 4}, showlegend=False, hoverinfo="skip")
            fig.add_scatter(x=part.top_rate_pct, y=part.item_name_ja, mode="markers+text", name="最高の都道府県",
                            text=part.top_prefecture_name, textposition="middle right", marker={"color": "#12355b", "size": 10})
            fig.add_scatter(x=part.bottom_rate_pct, y=part.item_name_ja, mode="markers+text", name="最低の都道府県",
                            text=part.bottom_prefecture_name, textposition="middle left", marker={"color": "#c0392b", "size": 10})
            fig.update_layout(title=f"{name}：都道府県の最高と最低（2023年度、%）", yaxis={"autorange": "reversed"})
            table = frame.assign(年度=frame.fiscal_year, 項目=frame.item_name_ja, 最高=frame.top_prefecture_name,
                                 最高値=frame.top_rate_pct.map(pct), 最低=frame.bottom_prefecture_name,
                                 最低値=frame.bottom_rate_pct.map(pct), 差=frame.gap_pt.map(lambda v: f"{v:.1f}pt"),
                                 入力=frame.input_basis.map(BASIS_JA))[["年度", "項目", "最高", "最高値", "最低", "最低値", "差", "入力"]]
            figure = frame["figure"].iloc[0] or ""
            sections.append(Section(f"図{figure} {name}", [chart_html(fig, frame.input_basis, 520)], table_html(table),
                                    ["rpt_fig05_09_13_15_prefecture_item_ranges"]))
        self.render("figure.html", "fig-prefecture-ranges.html", title="都道府県の最高・最低（図5・9・13・15）", plotly=True,
                    lead="項目ごとに実施率が最も高い都道府県と最も低い都道府県、その差。", sections=sections)

    def deviation_page(self) -> None:
        dev = self.q("select * from rpt_fig17_23_prefecture_deviation")
        published = self.q("select pref_code as prefecture_code, domain, fiscal_year, deviation_score as published from published.jri_prefecture_deviation")
        merged = dev.merge(published, on=["prefecture_code", "domain", "fiscal_year"], how="left")
        geo = json.loads((HERE / "assets" / "pref.geojson").read_text(encoding="utf-8"))
        for feature in geo["features"]:
            feature["id"] = f"{int(feature['properties']['code']):02d}"
        charts = []
        overall = merged[merged.domain == "overall_excl_mynumber"]
        for year in (2021, 2023):
            part = overall[overall.fiscal_year == year]
            fig = go.Figure(go.Choroplethmap(
                geojson=geo, locations=part.prefecture_code, z=part.deviation_score, text=part.prefecture_name,
                colorscale="RdBu", zmid=50, zmin=30, zmax=70, marker_line_width=0.5, marker_line_color="white",
                colorbar={"title": "偏差値"}, hovertemplate="%{text}<br>総合偏差値 %{z:.1f}<extra></extra>"))
            fig.update_layout(map={"style": "white-bg", "center": {"lat": 37.5, "lon": 137.5}, "zoom": 3.6},
                              title=f"図17 総合偏差値（マイナンバーカードを除く）{year}年度")
            charts.append(chart_html(fig, part.input_basis, 560))
        wide = merged[merged.fiscal_year == 2023].pivot_table(index=["prefecture_code", "prefecture_name", "region_name_ja"],
                                                             columns="domain_name_ja", values="deviation_score").reset_index()
        pub23 = overall[overall.fiscal_year == 2023][["prefecture_code", "published"]].rename(columns={"published": "報告書 総合"})
        wide = wide.merge(pub23, on="prefecture_code").round(2).rename(
            columns={"prefecture_code": "コード", "prefecture_name": "都道府県", "region_name_ja": "地方"})
        diff = (overall.deviation_score - overall.published).abs()
        note = f"報告書の図23との差（総合偏差値）：最大 {diff.max():.2f}、平均 {diff.mean():.2f}（両年度）。"
        sections = [
            Section("図17 総合偏差値の地図", charts, None, ["rpt_fig17_23_prefecture_deviation"], note),
            Section("図23 分野別偏差値（2023年度）", [], table_html(wide), ["rpt_fig17_23_prefecture_deviation"],
                    "偏差値＝50＋10×（都道府県の値−47都道府県の平均）÷母標準偏差。総合はマイナンバーカードを除く5分野の平均。"),
        ]
        self.render("figure.html", "fig-deviation.html", title="都道府県別偏差値と地図（図17・23）", plotly=True,
                    lead="都道府県ごとの分野別偏差値と総合偏差値。", sections=sections)

    def towns_page(self) -> None:
        frame = self.q("select * from rpt_fig18_towns_villages_vs_overall order by fiscal_year, prefecture_code")
        charts = []
        for year in (2021, 2023):
            part = frame[frame.fiscal_year == year]
            r = part.pearson_r_in_year.iloc[0]
            fig = go.Figure(go.Scatter(x=part.towns_and_villages_share_pct, y=part.overall_deviation_score, mode="markers+text",
                                       text=part.prefecture_name.str.replace("県|府|都", "", regex=True), textposition="top center",
                                       marker={"color": YEAR_COLOURS[year], "size": 9}))
            fig.update_layout(title=f"図18 町村の割合と総合偏差値 {year}年度（相関係数 r = {r:.2f}）",
                              xaxis={"title": "町村の割合（%）"}, yaxis={"title": "総合偏差値"})
            charts.append(chart_html(fig, part.input_basis, 520))
        table = frame.assign(年度=frame.fiscal_year, 都道府県=frame.prefecture_name, 町村割合=frame.towns_and_villages_share_pct.map(pct),
                             総合偏差値=frame.overall_deviation_score.round(2), 入力=frame.input_basis.map(BASIS_JA))[
            ["年度", "都道府県", "町村割合", "総合偏差値", "入力"]]
        self.render("figure.html", "fig-towns-villages.html", title="町村の割合と総合偏差値（図18）", plotly=True,
                    lead="町村の割合が高い都道府県ほど総合偏差値が低い傾向（報告書：強い負の相関）。",
                    sections=[Section("図18", charts, table_html(table), ["rpt_fig18_towns_villages_vs_overall", "dim_prefectures"])])

    def mynumber_page(self) -> None:
        corr = self.q("select * from rpt_fig19_mynumber_card_correlations order by fiscal_year, level")
        pairs = self.q("""select card.fiscal_year, card.prefecture_name, card.rate_pct as card_rate, overall.deviation_score as overall,
                                 overall.input_basis as overall_basis
                          from rpt_fig17_23_prefecture_deviation card join rpt_fig17_23_prefecture_deviation overall
                          using (fiscal_year, prefecture_code)
                          where card.domain = 'mynumber_card' and overall.domain = 'overall_excl_mynumber'""")
        charts = []
        for year in (2021, 2023):
            part = pairs[pairs.fiscal_year == year]
            fig = go.Figure(go.Scatter(x=part.card_rate, y=part.overall, mode="markers", text=part.prefecture_name,
                                       marker={"color": YEAR_COLOURS[year], "size": 9},
                                       hovertemplate="%{text}<br>カード %{x:.1f}%<br>総合偏差値 %{y:.1f}<extra></extra>"))
            label = "交付率（2022年4月1日）" if year == 2021 else "保有率（ダッシュボード、2024年頃・代替指標）"
            fig.update_layout(title=f"図19 マイナンバーカード{label}と総合偏差値 {year}年度（都道府県）",
                              xaxis={"title": "カード（%）"}, yaxis={"title": "総合偏差値"})
            charts.append(chart_html(fig, part.overall_basis, 480))
        table = corr.assign(年度=corr.fiscal_year, 単位=corr.level.map({"municipality": "市区町村", "prefecture": "都道府県"}),
                            組数=corr.n_pairs, 相関係数=corr.pearson_r.round(3), 総合偏差値の入力=corr.overall_basis.map(BASIS_JA),
                            カードの入力=corr.card_basis.map(BASIS_JA))[["年度", "単位", "組数", "相関係数", "総合偏差値の入力", "カードの入力"]]
        self.render("figure.html", "fig-mynumber.html", title="マイナンバーカードと総合偏差値（図19）", plotly=True,
                    lead="カードの交付率・保有率と総合偏差値の相関（市区町村単位・都道府県単位）。",
                    sections=[Section("図19", charts, table_html(table), ["rpt_fig19_mynumber_card_correlations"])])

    # ---- municipalities ----------------------------------------------------------------
    def municipality_pages(self) -> int:
        bodies = self.q("select * from dim_municipalities order by municipality_code")
        facts = self.q("""select f.municipality_code, f.fiscal_year, f.item_code, f.value_type, f.is_in_place,
                                 f.value_numeric, f.is_sample, f.is_substituted, i.item_name_ja, d.domain_name_ja
                          from fct_survey_answers f join dim_items i using (item_code) join config.cfg_domains d on d.domain = f.domain
                          where i.is_report_item and (f.in_domain_mean or f.value_type = 'flag')
                          order by f.municipality_code, d.sort_order, i.sort_order, f.fiscal_year""")
        groups = self.q("""select fiscal_year, item_code, group_type, group_code, rate_pct from intermediate.int_rates_by_group_labelled
                           where group_type in ('size_class', 'prefecture') and row_kind != 'domain_mean'""")
        rate = {(r.group_type, r.fiscal_year, r.item_code, r.group_code): r.rate_pct for r in groups.itertuples()}
        dev = self.q("""select d.municipality_code, d.fiscal_year, d.domain_name_ja, d.deviation_score
                        from rpt_municipality_deviation d left join config.cfg_domains c on c.domain = d.domain
                        order by d.municipality_code, coalesce(c.sort_order, 99)""")
        facts_by: dict[str, dict[str, dict[str, dict]]] = {}
        for r in facts.itertuples(index=False):
            domain = facts_by.setdefault(r.municipality_code, {}).setdefault(r.domain_name_ja, {})
            domain.setdefault(r.item_code, {"name": r.item_name_ja})[r.fiscal_year] = r
        dev_by: dict[str, dict[str, dict[int, float]]] = {}
        for r in dev.itertuples(index=False):
            dev_by.setdefault(r.municipality_code, {}).setdefault(r.domain_name_ja, {})[r.fiscal_year] = r.deviation_score
        template = self.env.get_template("municipality.html")
        out_dir = self.out / "municipalities"
        out_dir.mkdir(parents=True, exist_ok=True)
        search = []

        def cell(r: Any) -> str:
            if r is None:
                return "–"
            if r.value_type == "flag":
                return "–" if pd.isna(r.is_in_place) else ("実施" if r.is_in_place else "未実施")
            return pct(r.value_numeric)

        for n_done, m in enumerate(bodies.itertuples(), start=1):
            deviations = dev_by[m.municipality_code]
            order = list(deviations)
            traces = [{"type": "bar", "name": f"{year}年度", "orientation": "h", "y": order,
                       "x": [None if pd.isna(deviations[d].get(year)) else round(deviations[d][year], 1) for d in order],
                       "marker": {"color": YEAR_COLOURS[year]}} for year in (2021, 2023)]
            layout = {"height": 360, "margin": {"l": 10, "r": 20, "t": 50, "b": 30}, "barmode": "group",
                      "xaxis": {"range": [20, 80], "title": {"text": "偏差値（50＝全国平均）"}},
                      "yaxis": {"autorange": "reversed", "automargin": True},
                      "font": {"family": "Noto Sans CJK JP, sans-serif"}, "legend": {"orientation": "h"},
                      "annotations": [{"text": SAMPLE_NOTE, "xref": "paper", "yref": "paper", "x": 0, "y": 1.1,
                                       "showarrow": False, "font": {"color": "#8a5a00", "size": 11}, "xanchor": "left"}],
                      "shapes": [{"type": "line", "x0": 50, "x1": 50, "yref": "paper", "y0": 0, "y1": 1, "line": {"dash": "dot"}}]}
            dev_rows = [{"分野": d, "2021年度": num(deviations[d].get(2021)), "2023年度": num(deviations[d].get(2023))} for d in order]
            domains, gaps = [], []
            for domain_name, items in facts_by[m.municipality_code].items():
                rows = []
                for item, by_year in items.items():
                    row = {"項目": by_year["name"]}
                    for year in (2021, 2023):
                        r = by_year.get(year)
                        cr = rate.get(("size_class", year, item, m.size_class))
                        pr = rate.get(("prefecture", year, item, m.prefecture_code))
                        row[f"{year}年度"] = cell(r)
                        row[f"同規模 {year}"] = pct(cr)
                        row[f"県内 {year}"] = pct(pr)
                        row[f"出所 {year}"] = "–" if r is None else ("サンプル" if r.is_sample else "公式") + (
                            "（2022年度版で代替）" if r.is_substituted else "")
                        if year == 2023 and r is not None and r.value_type == "flag" and r.is_in_place is False \
                                and (cr or 0) >= 50 and (pr or 0) >= 50:
                            gaps.append({"item_name_ja": by_year["name"], "class_rate": pct(cr), "pref_rate": pct(pr), "key": -((cr or 0) + (pr or 0))})
                    rows.append(row)
                domains.append({"name": domain_name, "table": self.rows_table(rows)})
            gaps.sort(key=lambda g: g["key"])
            context = {"m": {**m._asdict(), "population_fmt": f"{m.population:,}"},
                       "chart_data": script_json(traces), "chart_layout": script_json(layout),
                       "deviation_table": self.rows_table(dev_rows), "gaps": gaps[:8], "domains": domains}
            text = template.render(root="../", built_on=self.built_on, plotly=True, title=m.municipality_label, **context)
            (out_dir / f"{m.municipality_code}.html").write_text(text, encoding="utf-8")
            search.append({"c": m.municipality_code, "n": m.municipality_name, "k": m.municipality_kana or "",
                           "p": m.prefecture_name, "s": m.size_class_ja})
            if n_done % 500 == 0:
                progress(f"report: {n_done}/{len(bodies)} municipality pages")
        self.render("search.html", "municipalities/index.html", title="市区町村を探す", plotly=False,
                    bodies=script_json(search))
        return len(bodies)

    def rows_table(self, rows: list[dict[str, str]]) -> str:
        return self.env.get_template("table.html").render(rows=rows)

    # ---- index and data -------------------------------------------------------------------
    def data_page(self, has_dbt_docs: bool) -> None:
        sources = self.q("select title_ja as 出典, publisher_ja as 公表者, licence as 利用条件, attribution as 表示 from config.cfg_sources")
        editions = self.q("""select edition_id as 版, source_id as 出典, edition_year as 版の年度, analysis_fiscal_year as 分析年度,
                                    case when is_sample then 'サンプル（生成）' else '公式' end as 種別, notes as 説明
                             from config.cfg_editions order by is_sample, edition_id""")
        basis = self.q("""select fiscal_year as 年度, count(*) as セル数, count(*) filter (where is_answered and not is_sample) as 公式,
                                 count(*) filter (where is_sample) as サンプル, count(*) filter (where not is_answered) as 欠損
                          from fct_survey_answers group by 1 order by 1""")
        statement = ("公式データ：2023年度のCIO・CIO補佐官・全体方針・全庁的体制・職員育成（デジタル庁ダッシュボード、R5調査）、"
                     "AI・RPAの導入（同）、マイナンバーカード（2021年度：総務省 2022年4月1日交付状況、2023年度：ダッシュボードの保有率＝代替指標）、"
                     "市区町村の区分と人口。それ以外（2021年度の全項目、2023年度のダッシュボードに無い項目、手続のオンライン化、能登8団体の2022年度版）は"
                     "報告書の公表値に較正した生成サンプルです（docs/calibration.md）。")
        self.render("data.html", "data.html", title="データの出典と版", plotly=False, sample_statement=statement,
                    basis_table=basis.to_html(index=False, border=0), sources_table=sources.to_html(index=False, border=0),
                    editions_table=editions.to_html(index=False, border=0, na_rep="–"), dbt_docs=has_dbt_docs)

    def index_page(self) -> None:
        sc = self.q("select input_basis, within_tolerance from rpt_reproduction_scorecard")
        official = sc[sc.input_basis == "official"]
        sampled = sc[sc.input_basis.isin(["sample", "mixed"])]
        summary = self.q("""select measure as 指標, input_basis as 入力, count(*) as 件数,
                                   count(*) filter (where within_tolerance) as 許容差内, round(max(abs(diff)), 2) as 最大差
                            from rpt_reproduction_scorecard group by all order by 1, 2""")
        summary["入力"] = summary["入力"].map(BASIS_JA)
        self.render("index.html", "index.html", title="自治体DXの進捗状況：再現レポート", plotly=False,
                    pages=[{"href": h, "title": t, "figures": f} for h, t, f in PAGES],
                    scorecard={"n": len(sc), "official": len(official), "official_ok": int(official.within_tolerance.sum()),
                               "sample": len(sampled), "sample_ok": int(sampled.within_tolerance.sum())},
                    scorecard_table=summary.to_html(index=False, border=0))


def build(db: Path, out: Path, dbt_docs: Path | None = None) -> dict[str, float]:
    started = time.monotonic()
    if out.exists():
        shutil.rmtree(out)
    (out / "assets").mkdir(parents=True)
    (out / "assets" / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    shutil.copy(HERE / "assets" / "site.css", out / "assets" / "site.css")
    report = Report(db, out)
    for step in (report.rates_page, report.tallies_page, report.ranges_page, report.deviation_page, report.towns_page,
                 report.mynumber_page):
        step()
    progress(f"report: figure pages written ({time.monotonic() - started:.1f} s)")
    n = report.municipality_pages()
    progress(f"report: {n} municipality pages written ({time.monotonic() - started:.1f} s)")
    has_docs = dbt_docs is not None and dbt_docs.exists()
    if has_docs and dbt_docs is not None:
        (out / "dbt").mkdir()
        shutil.copy(dbt_docs, out / "dbt" / "static_index.html")
    report.data_page(has_docs)
    report.index_page()
    report.con.close()
    return {"seconds": time.monotonic() - started, "municipality_pages": n}

