-- Item rates per year for three kinds of group: all municipalities, each size class, each
-- prefecture. Flag items: share of answered bodies with the item in place. Percent items:
-- mean of the bodies' values. Each row counts its inputs by origin.
with

facts as (
    select * from {{ ref('fct_survey_answers') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

items as (
    select * from {{ ref('cfg_items') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

report_facts as (
    select
        facts.*,
        municipalities.size_class,
        municipalities.prefecture_code
    from facts
    inner join municipalities
        on facts.municipality_code = municipalities.municipality_code
    inner join domains
        on facts.domain = domains.domain
    inner join items
        on facts.item_code = items.item_code
    where domains.is_report_domain and items.is_report_item
),

grouped as (
    select
        report_facts.fiscal_year,
        report_facts.item_code,
        grouping_sets.group_type,
        grouping_sets.group_code,
        count(*) as n_bodies,
        count(*) filter (where report_facts.is_answered) as n_answered,
        count(*) filter (where report_facts.is_in_place) as n_in_place,
        case
            when bool_and(report_facts.value_type = 'flag')
                then {{ rate_pct('report_facts.is_in_place') }}
            else {{ exact_avg('report_facts.value_numeric') }}
        end as rate_pct,
        count(*) filter (where report_facts.is_answered and not report_facts.is_sample) as n_official_inputs,
        count(*) filter (where report_facts.is_answered and report_facts.is_sample) as n_sample_inputs,
        count(*) filter (where not report_facts.is_answered) as n_missing_inputs,
        count(*) filter (
            where report_facts.is_answered and not report_facts.is_sample and report_facts.is_proxy_for_report
        ) as n_proxy_inputs
    from report_facts
    cross join {{ group_memberships('report_facts') }}
    group by all
),

final as (
    select
        fiscal_year,
        item_code,
        group_type,
        group_code,
        n_bodies,
        n_answered,
        n_in_place,
        rate_pct,
        n_official_inputs,
        n_sample_inputs,
        n_missing_inputs,
        n_proxy_inputs
    from grouped
)

select * from final
