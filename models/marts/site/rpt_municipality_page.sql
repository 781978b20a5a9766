-- 市区町村のページ（サイト用）: everything the municipality page (reports/pages/municipalities/
-- [municipality_code].md) shows, one row per body, so the page runs one query that reads one row:
-- the facts its heading, facts line and substitution note show (one column each), and the rows of its
-- chart and three tables as JSON text, one column per part, each an array of rows in the page's order,
-- each row an array of the values the page shows in the page's column order (the page names and types
-- them, PARTS in the page):
--   scores  the chart and the scores table: per year and domain (year descending, then domain):
--           domain, year label, year, deviation score, domain rate, rank in the size class and in the
--           prefecture as 「n位／m」, input basis
--   gaps    the peer-gap table: per year and item (year descending, then gap rank): year label, item,
--           domain, size-class rate, prefecture rate, source
--   items   the items table: per item and year (domain, item, year): domain, item, year label, value,
--           source, size-class rate, prefecture rate
-- One row per body and a few text columns (not a row per table row) because Evidence's build reads
-- a source's whole Parquet file for every page query: this shape is the smallest read. The site
-- reads it through one Evidence source per prefecture (municipality_page_<prefecture_code>, generated
-- by jdx.report.evidence_site), each page the one of its code's first two digits. Labels are made here
-- once, not per page.
with

ranks as (
    select * from {{ ref('rpt_municipality_ranks') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

items as (
    select * from {{ ref('rpt_municipality_items') }}
),

peer_gaps as (
    select * from {{ ref('rpt_municipality_peer_gaps') }}
),

substitutions as (
    select
        municipality_code,
        min(substitution_reason_ja) as substitution_reason
    from items
    where is_substituted
    group by municipality_code
),

body_part as (
    select
        municipalities.municipality_code,
        municipalities.municipality_name,
        municipalities.municipality_kana,
        municipalities.municipality_label,
        municipalities.prefecture_code,
        municipalities.prefecture_name,
        municipalities.mic_type_ja,
        municipalities.size_class_ja,
        municipalities.population,
        substitutions.substitution_reason
    from municipalities
    left join substitutions
        on municipalities.municipality_code = substitutions.municipality_code
),

scores_part as (
    select
        row_number() over (
            partition by municipality_code order by fiscal_year desc, domain_sort_order asc
        ) as part_row,
        municipality_code,
        domain_name_ja,
        cast(fiscal_year as varchar) || '年度' as fiscal_year_label,
        cast(fiscal_year as varchar) as fiscal_year,
        deviation_score,
        rate_pct as domain_rate,
        cast(rank_in_class as integer) || '位／' || cast(n_in_class as integer) as rank_in_class_label,
        cast(rank_in_prefecture as integer) || '位／' || cast(n_in_prefecture as integer) as rank_in_prefecture_label,
        case input_basis
            when 'official' then '公式'
            when 'official_proxy' then '公式（代替指標）'
            when 'mixed' then '公式＋サンプル'
            when 'sample' then 'サンプル（生成）'
            else '一部欠損'
        end as input_basis_ja
    from ranks
),

gaps_part as (
    select
        row_number() over (partition by municipality_code order by fiscal_year desc, gap_rank asc) as part_row,
        municipality_code,
        cast(fiscal_year as varchar) || '年度' as fiscal_year_label,
        item_name_ja,
        domain_name_ja,
        size_class_rate_pct as size_class_rate,
        prefecture_rate_pct as prefecture_rate,
        source_label_ja
    from peer_gaps
),

items_part as (
    select
        row_number() over (
            partition by municipality_code
            order by domain_sort_order, item_sort_order, fiscal_year
        ) as part_row,
        municipality_code,
        domain_name_ja,
        item_name_ja,
        cast(fiscal_year as varchar) || '年度' as fiscal_year_label,
        value_label_ja,
        source_label_ja,
        size_class_rate_pct as size_class_rate,
        prefecture_rate_pct as prefecture_rate
    from items
),

scores_json as (
    select
        municipality_code,
        to_json(list(json_array(
            domain_name_ja, fiscal_year_label, fiscal_year, deviation_score, domain_rate,
            rank_in_class_label, rank_in_prefecture_label, input_basis_ja
        ) order by part_row)) as scores
    from scores_part
    group by municipality_code
),

gaps_json as (
    select
        municipality_code,
        to_json(list(json_array(
            fiscal_year_label, item_name_ja, domain_name_ja, size_class_rate, prefecture_rate, source_label_ja
        ) order by part_row)) as gaps
    from gaps_part
    group by municipality_code
),

items_json as (
    select
        municipality_code,
        to_json(list(json_array(
            domain_name_ja, item_name_ja, fiscal_year_label, value_label_ja, source_label_ja,
            size_class_rate, prefecture_rate
        ) order by part_row)) as items
    from items_part
    group by municipality_code
),

final as (
    select
        body_part.municipality_code,
        body_part.municipality_name,
        body_part.municipality_kana,
        body_part.municipality_label,
        body_part.prefecture_code,
        body_part.prefecture_name,
        body_part.mic_type_ja,
        body_part.size_class_ja,
        body_part.population,
        body_part.substitution_reason,
        coalesce(cast(scores_json.scores as varchar), '[]') as scores,
        coalesce(cast(gaps_json.gaps as varchar), '[]') as gaps,
        coalesce(cast(items_json.items as varchar), '[]') as items
    from body_part
    left join scores_json
        on body_part.municipality_code = scores_json.municipality_code
    left join gaps_json
        on body_part.municipality_code = gaps_json.municipality_code
    left join items_json
        on body_part.municipality_code = items_json.municipality_code
)

select * from final
