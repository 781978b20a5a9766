-- 市区町村の偏差値と順位（サイト用）: rpt_municipality_deviation with each body's rank within its
-- size class and within its prefecture (1 = the highest deviation score that year and domain; ties
-- share a rank; a body without a score ranks after those with one) and how many bodies of the class
-- or prefecture have a score, with the labels and sort orders the site's pages show. The one place
-- the site's ranks are computed: the Evidence sources municipality_scores.sql (index, map, prefecture
-- pages) and rpt_municipality_page (the municipality pages) read them from here.
with

deviation as (
    select * from {{ ref('rpt_municipality_deviation') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

ranked as (
    select
        deviation.fiscal_year,
        deviation.municipality_code,
        municipalities.municipality_name,
        municipalities.prefecture_code,
        municipalities.prefecture_name,
        municipalities.size_class,
        municipalities.size_class_ja,
        municipalities.size_class_sort_order,
        deviation.domain,
        coalesce(deviation.domain_name_ja, '総合（カードを除く5分野の平均）') as domain_name_ja,
        coalesce(domains.sort_order, 0) as domain_sort_order,
        deviation.rate_pct,
        deviation.deviation_score,
        deviation.input_basis,
        rank() over (
            partition by deviation.fiscal_year, deviation.domain, municipalities.size_class
            order by deviation.deviation_score desc
        ) as rank_in_class,
        count(deviation.deviation_score) over (
            partition by deviation.fiscal_year, deviation.domain, municipalities.size_class
        ) as n_in_class,
        rank() over (
            partition by deviation.fiscal_year, deviation.domain, municipalities.prefecture_code
            order by deviation.deviation_score desc
        ) as rank_in_prefecture,
        count(deviation.deviation_score) over (
            partition by deviation.fiscal_year, deviation.domain, municipalities.prefecture_code
        ) as n_in_prefecture
    from deviation
    inner join municipalities
        on deviation.municipality_code = municipalities.municipality_code
    left join domains
        on deviation.domain = domains.domain
),

final as (
    select
        fiscal_year,
        municipality_code,
        municipality_name,
        prefecture_code,
        prefecture_name,
        size_class,
        size_class_ja,
        size_class_sort_order,
        domain,
        domain_name_ja,
        domain_sort_order,
        rate_pct,
        deviation_score,
        input_basis,
        rank_in_class,
        n_in_class,
        rank_in_prefecture,
        n_in_prefecture
    from ranked
)

select * from final
