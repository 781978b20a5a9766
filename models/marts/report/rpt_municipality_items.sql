-- 市区町村別プロフィール: every report item of every body per year, with its source and peer rates.
-- Published with a contract for the site and BI tools;
-- computed in int_municipality_items_compared (see its header).
with

municipality_items_compared as (
    select * from {{ ref('int_municipality_items_compared') }}
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
        value_type,
        is_in_place,
        value_numeric,
        value_label_ja,
        in_domain_mean,
        is_sample,
        is_substituted,
        is_proxy_for_report,
        edition_id,
        source_label_ja,
        substitution_reason_ja,
        size_class_rate_pct,
        prefecture_rate_pct
    from municipality_items_compared
)

select * from final
