-- 図4・図8・図12: 全項目を実施している団体数・いずれも実施していない団体数（人口規模別）。
-- Per domain, size class (and all) and year: bodies with every tally item in place and with
-- none, plus the 23-item total (total_23_items). A body with an unanswered tally item is not
-- tallied (n_bodies_tallied says how many were); with no body tallied the counts are null.
with

domain_rates as (
    select * from {{ ref('int_domain_rates_by_group') }}
    where group_type in ('all', 'size_class')
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

size_classes as (
    select * from {{ ref('cfg_size_classes') }}
),

final as (
    select
        domain_rates.fiscal_year,
        domain_rates.domain,
        domains.domain_name_ja,
        domains.sort_order as domain_sort_order,
        domains.figure_tallies as figure,
        domain_rates.group_code as size_class,
        coalesce(size_classes.size_class_ja, '全体') as size_class_ja,
        coalesce(size_classes.sort_order, 0) as size_class_sort_order,
        domain_rates.n_bodies,
        domain_rates.n_bodies_tallied,
        case when domain_rates.n_bodies_tallied > 0 then domain_rates.n_all_items end as all_items_achieved,
        case when domain_rates.n_bodies_tallied > 0 then domain_rates.n_no_item end as no_item_achieved,
        {{ input_basis('domain_rates') }}
            as input_basis,
        {{ sample_share_pct('domain_rates') }}
            as sample_share_pct,
        domain_rates.n_items_in_domain,
        domain_rates.n_items_present,
        domain_rates.coverage_reason,
        domain_rates.coverage_reason_ja,
        {{ code_label_ja('input_basis', input_basis('domain_rates')) }} as input_basis_ja
    from domain_rates
    inner join domains
        on domain_rates.domain = domains.domain
    left join size_classes
        on domain_rates.group_code = size_classes.size_class
    where domains.in_total_tally or domains.domain = 'total_23_items'
)

select * from final
