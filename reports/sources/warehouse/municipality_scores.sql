-- rpt_municipality_deviation with the body's ranks within its size class and its prefecture
-- (1 = highest deviation score that year and domain), and the labels the municipality page shows
-- (year, ranks as 「n位／m」, input basis in Japanese) made here once, not per page (`ranked`, then
-- `final`).
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
        municipalities.size_class,
        municipalities.size_class_ja,
        municipalities.size_class_sort_order,
        cast(scores.fiscal_year as varchar) as fiscal_year,
        scores.domain,
        coalesce(scores.domain_name_ja, '総合（カードを除く5分野の平均）') as domain_name_ja,
        coalesce(domains.sort_order, 0) as domain_sort_order,
        scores.rate_pct as domain_rate,
        scores.deviation_score,
        rank() over (
            partition by scores.fiscal_year, scores.domain, municipalities.size_class
            order by scores.deviation_score desc
        ) as rank_in_class,
        count(scores.deviation_score) over (
            partition by scores.fiscal_year, scores.domain, municipalities.size_class
        ) as n_in_class,
        rank() over (
            partition by scores.fiscal_year, scores.domain, municipalities.prefecture_code
            order by scores.deviation_score desc
        ) as rank_in_prefecture,
        count(scores.deviation_score) over (
            partition by scores.fiscal_year, scores.domain, municipalities.prefecture_code
        ) as n_in_prefecture,
        scores.input_basis,
        scores.sample_share_pct as sample_share
    from scores
    inner join municipalities
        on scores.municipality_code = municipalities.municipality_code
    left join domains
        on scores.domain = domains.domain
),

final as (
    select
        *,
        row_number() over (
            partition by municipality_code order by fiscal_year desc, domain_sort_order
        ) as row_order,
        fiscal_year || '年度' as fiscal_year_label,
        cast(rank_in_class as integer) || '位／' || cast(n_in_class as integer) as rank_in_class_label,
        cast(rank_in_prefecture as integer) || '位／' || cast(n_in_prefecture as integer) as rank_in_prefecture_label,
        case input_basis
            when 'official' then '公式'
            when 'official_proxy' then '公式（代替指標）'
            when 'mixed' then '公式＋サンプル'
            when 'sample' then 'サンプル（生成）'
            else '一部欠損'
        end as input_basis_ja
    from ranked
)

select * from final
order by municipality_code, fiscal_year desc, domain_sort_order
