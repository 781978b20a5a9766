-- 同規模・同じ都道府県の多くが実施していて、この団体が実施していない項目 (the site's "peer gaps").
-- Rule (cfg_peer_gap_rule): a flag item the body does not have in a year, which at least
-- min_size_class_rate_pct % of its size class and min_prefecture_rate_pct % of its prefecture have.
with

items as (
    select * from {{ ref('int_municipality_items_compared') }}
),

rule as (
    select * from {{ ref('cfg_peer_gap_rule') }}
    where rule_id = 'peer_gap'
),

gaps as (
    select
        items.municipality_code,
        items.fiscal_year,
        items.domain,
        items.domain_name_ja,
        items.domain_sort_order,
        items.item_code,
        items.item_name_ja,
        items.item_sort_order,
        items.size_class_rate_pct,
        items.prefecture_rate_pct,
        items.is_sample,
        items.source_label_ja
    from items
    cross join rule
    where
        items.value_type = 'flag'
        and items.is_in_place = false
        and items.size_class_rate_pct >= rule.min_size_class_rate_pct
        and items.prefecture_rate_pct >= rule.min_prefecture_rate_pct
),

final as (
    select
        municipality_code,
        fiscal_year,
        domain,
        domain_name_ja,
        domain_sort_order,
        item_code,
        item_name_ja,
        item_sort_order,
        size_class_rate_pct,
        prefecture_rate_pct,
        row_number() over (
            partition by municipality_code, fiscal_year
            order by size_class_rate_pct + prefecture_rate_pct desc, item_code
        ) as gap_rank,
        is_sample,
        source_label_ja
    from gaps
)

select * from final
