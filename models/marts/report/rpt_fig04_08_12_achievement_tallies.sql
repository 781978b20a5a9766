-- 図4・図8・図12: 全項目を実施している団体数・いずれも実施していない団体数（人口規模別）。
-- Published with a contract for the site and BI tools;
-- computed in int_achievement_tallies_by_group (see its header).
with

achievement_tallies_by_group as (
    select * from {{ ref('int_achievement_tallies_by_group') }}
),

final as (
    select
        fiscal_year,
        domain,
        domain_name_ja,
        domain_sort_order,
        figure,
        size_class,
        size_class_ja,
        size_class_sort_order,
        n_bodies,
        n_bodies_tallied,
        all_items_achieved,
        no_item_achieved,
        input_basis,
        sample_share_pct,
        n_items_in_domain,
        n_items_present,
        coverage_reason,
        coverage_reason_ja,
        input_basis_ja
    from achievement_tallies_by_group
)

select * from final
