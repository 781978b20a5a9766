-- Coverage rule: per analysis year and report domain, how many of the domain's items (its
-- cfg_items report items; total_23_items pools the tally domains) have answers that year, and
-- how many bodies answered any of them. A domain is complete only when every item is present;
-- otherwise its means, tallies and deviation scores are null downstream and coverage_reason says
-- why. Presence is read from fct_survey_answers as it is today (a cell with an answer); partial
-- editions (some bodies) keep their items present and show in n_bodies_covered.
with

facts as not materialized (
    -- each step below reads the columns and rows it needs (not materialized: no copy of the
    -- facts)
    select * from {{ ref('fct_survey_answers') }}
),

items as (
    select * from {{ ref('cfg_items') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

domain_items as (
    select
        items.domain,
        items.item_code
    from items
    inner join domains
        on items.domain = domains.domain
    where items.is_report_item and domains.is_report_domain
    union all
    select
        'total_23_items' as domain,
        items.item_code
    from items
    inner join domains
        on items.domain = domains.domain
    where items.is_report_item and domains.in_total_tally
),

item_presence as (
    select
        fiscal_year,
        item_code,
        count(*) filter (where is_answered) as n_bodies_answered
    from facts
    group by 1, 2
),

years as (
    -- every year of the facts (item_presence has a row for each)
    select distinct fiscal_year
    from item_presence
),

answered_bodies as (
    -- the bodies with an answer to some report item, per year and the item's domain
    select distinct
        facts.fiscal_year,
        facts.municipality_code,
        items.domain
    from facts
    inner join items
        on facts.item_code = items.item_code
    where facts.is_answered and items.is_report_item
),

domain_groups as (
    -- each domain counts for itself (report domains) and for total_23_items (tally domains)
    select
        domain,
        domain as covered_domain
    from domains
    where is_report_domain
    union all
    select
        domain,
        'total_23_items' as covered_domain
    from domains
    where in_total_tally
),

body_presence as (
    select
        answered_bodies.fiscal_year,
        domain_groups.covered_domain as domain,
        count(distinct answered_bodies.municipality_code) as n_bodies_covered
    from answered_bodies
    inner join domain_groups
        on answered_bodies.domain = domain_groups.domain
    group by 1, 2
),

counted as (
    select
        years.fiscal_year,
        domain_items.domain,
        count(*) as n_items_in_domain,
        count(*) filter (where item_presence.n_bodies_answered > 0) as n_items_present,
        string_agg(domain_items.item_code, ', ' order by domain_items.item_code) filter (
            where coalesce(item_presence.n_bodies_answered, 0) = 0
        ) as missing_items
    from years
    cross join domain_items
    left join item_presence
        on
            years.fiscal_year = item_presence.fiscal_year
            and domain_items.item_code = item_presence.item_code
    group by 1, 2
),

final as (
    select
        counted.fiscal_year,
        counted.domain,
        counted.n_items_in_domain,
        counted.n_items_present,
        coalesce(body_presence.n_bodies_covered, 0) as n_bodies_covered,
        counted.n_items_present = counted.n_items_in_domain as is_complete,
        case
            when counted.n_items_present < counted.n_items_in_domain
                then
                    'partial domain: ' || counted.n_items_present || ' of ' || counted.n_items_in_domain
                    || ' items have answers for ' || counted.fiscal_year || ' (missing: '
                    || counted.missing_items || '); domain mean, tallies and deviation scores are null'
        end as coverage_reason,
        case
            when counted.n_items_present < counted.n_items_in_domain
                then
                    counted.fiscal_year || '年度は分野の' || counted.n_items_in_domain || '項目のうち'
                    || counted.n_items_present || '項目のみ回答があるため、分野平均・達成団体数・偏差値は算出しない'
        end as coverage_reason_ja
    from counted
    left join body_presence
        on
            counted.fiscal_year = body_presence.fiscal_year
            and counted.domain = body_presence.domain
)

select * from final
