-- Item rates and domain means in one long table for every group (all, size class, prefecture),
-- with Japanese labels, the report figure numbers and the make-up of the inputs. The rpt_ models
-- for figures 2-3, 5-7, 9-11 and 13-15 select from here.
with

item_rates as (
    select * from {{ ref('int_item_rates_by_group') }}
),

domain_rates as (
    select * from {{ ref('int_domain_rates_by_group') }}
),

card_rates_by_prefecture as (
    select * from {{ ref('int_mynumber_card_rates_by_prefecture') }}
),

items as (
    select * from {{ ref('cfg_items') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

coverage as (
    select * from {{ ref('int_domain_coverage_checked') }}
),

item_flags as (
    select
        item_code,
        fiscal_year,
        bool_or(in_domain_mean) as in_domain_mean,
        bool_or(comparability_break) as comparability_break
    from {{ ref('int_survey_year_items') }}
    group by 1, 2
),

item_rows as (
    select
        item_rates.fiscal_year,
        items.domain,
        case
            when not item_flags.in_domain_mean and items.value_type = 'flag' then 'reference_item'
            else 'item'
        end as row_kind,
        item_rates.item_code,
        items.item_name_ja,
        items.sort_order as item_sort_order,
        item_rates.group_type,
        item_rates.group_code,
        item_rates.n_bodies,
        item_rates.n_answered,
        item_rates.rate_pct,
        item_flags.comparability_break,
        item_rates.n_official_inputs,
        item_rates.n_sample_inputs,
        item_rates.n_missing_inputs,
        item_rates.n_proxy_inputs
    from item_rates
    inner join items
        on item_rates.item_code = items.item_code
    inner join item_flags
        on
            item_rates.item_code = item_flags.item_code
            and item_rates.fiscal_year = item_flags.fiscal_year
    where item_flags.in_domain_mean or items.value_type = 'flag'
),

domain_rows as (
    select
        fiscal_year,
        domain,
        'domain_mean' as row_kind,
        '_domain_mean' as item_code,
        '分野平均' as item_name_ja,
        0 as item_sort_order,
        group_type,
        group_code,
        n_bodies,
        n_bodies_with_rate as n_answered,
        domain_rate_pct as rate_pct,
        false as comparability_break,
        n_official_inputs,
        n_sample_inputs,
        n_missing_inputs,
        n_proxy_inputs
    from domain_rates
    where domain != 'total_23_items'
),

unioned as (
    select * from item_rows
    union all
    select * from domain_rows
),

-- One card rate per prefecture (the report's figure 23 definition, cards / population, weighted):
-- a prefecture's card item and card domain mean take int_mynumber_card_rates_by_prefecture's
-- rate, not the plain mean of its municipalities' rates.
card_rate_rows as (
    -- the rows the prefecture card rates replace, as join keys (an equi-join, not a join
    -- condition on constants)
    select
        'mynumber_card' as domain,
        'prefecture' as group_type,
        fiscal_year,
        prefecture_code,
        card_rate_pct
    from card_rates_by_prefecture
),

final as (
    select
        unioned.fiscal_year,
        unioned.domain,
        domains.domain_name_ja,
        domains.sort_order as domain_sort_order,
        domains.figure_national,
        domains.figure_by_class,
        domains.figure_prefecture_range,
        unioned.row_kind,
        unioned.item_code,
        unioned.item_name_ja,
        unioned.item_sort_order,
        unioned.group_type,
        unioned.group_code,
        unioned.n_bodies,
        unioned.n_answered,
        case
            when unioned.domain = 'mynumber_card' and unioned.group_type = 'prefecture'
                then card_rate_rows.card_rate_pct
            else unioned.rate_pct
        end as rate_pct,
        unioned.comparability_break,
        unioned.n_official_inputs,
        unioned.n_sample_inputs,
        unioned.n_missing_inputs,
        unioned.n_proxy_inputs,
        {{ input_basis('unioned') }}
            as input_basis,
        {{ sample_share_pct('unioned') }}
            as sample_share_pct,
        coverage.n_items_in_domain,
        coverage.n_items_present,
        coverage.n_bodies_covered,
        case when unioned.row_kind = 'domain_mean' then coverage.coverage_reason end as coverage_reason,
        case when unioned.row_kind = 'domain_mean' then coverage.coverage_reason_ja end as coverage_reason_ja
    from unioned
    inner join domains
        on unioned.domain = domains.domain
    left join card_rate_rows
        on
            unioned.domain = card_rate_rows.domain
            and unioned.group_type = card_rate_rows.group_type
            and unioned.fiscal_year = card_rate_rows.fiscal_year
            and unioned.group_code = card_rate_rows.prefecture_code
    left join coverage
        on
            unioned.fiscal_year = coverage.fiscal_year
            and unioned.domain = coverage.domain
)

select * from final
