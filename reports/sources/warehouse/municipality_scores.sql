-- rpt_municipality_deviation with the body's ranks within its size class and its prefecture
-- (1 = highest deviation score that year and domain), for the index, the map and the prefecture pages:
-- only the columns they read (the municipality page reads its scores from municipality_page.sql).
with scores as (
    select * from rpt_municipality_deviation
),

municipalities as (
    select * from dim_municipalities
),

domains as (
    select domain, sort_order from config.cfg_domains
),

ranked as (
    select
        scores.municipality_code,
        municipalities.municipality_name,
        municipalities.prefecture_code,
        municipalities.prefecture_name,
        municipalities.size_class_ja,
        municipalities.size_class_sort_order,
        cast(scores.fiscal_year as varchar) as fiscal_year,
        scores.domain,
        coalesce(scores.domain_name_ja, '総合（カードを除く5分野の平均）') as domain_name_ja,
        coalesce(domains.sort_order, 0) as domain_sort_order,
        scores.deviation_score,
        rank() over (
            partition by scores.fiscal_year, scores.domain, municipalities.size_class
            order by scores.deviation_score desc
        ) as rank_in_class,
        rank() over (
            partition by scores.fiscal_year, scores.domain, municipalities.prefecture_code
            order by scores.deviation_score desc
        ) as rank_in_prefecture
    from scores
    inner join municipalities
        on scores.municipality_code = municipalities.municipality_code
    left join domains
        on scores.domain = domains.domain
),

final as (
    select
        municipality_code,
        municipality_name,
        prefecture_code,
        prefecture_name,
        size_class_ja,
        size_class_sort_order,
        fiscal_year,
        domain,
        domain_name_ja,
        domain_sort_order,
        deviation_score,
        rank_in_class,
        rank_in_prefecture
    from ranked
)

select
    municipality_code,
    municipality_name,
    prefecture_code,
    prefecture_name,
    size_class_ja,
    size_class_sort_order,
    fiscal_year,
    domain,
    domain_name_ja,
    domain_sort_order,
    deviation_score,
    rank_in_class,
    rank_in_prefecture
from final
order by municipality_code, fiscal_year desc, domain_sort_order
