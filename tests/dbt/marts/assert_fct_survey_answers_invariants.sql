-- The fact table's invariants in one scan (instead of a dozen generic tests each rescanning it):
-- key (municipality, year, item) not null and unique; every municipality in dim_municipalities and
-- every edition in cfg_editions; known statuses; values not negative and percents at most 100;
-- flags carry is_in_place when answered; every cell without a value says why; each raw answer
-- behind at most one cell; substitution and sample flags never null. Returns one row per broken
-- rule with its count. The row checks share one scan; the two distinct counts are grouped scans
-- of their own columns (parallel hash aggregates, cheaper than count(distinct) over the join).
with

facts as not materialized (
    select * from {{ ref('fct_survey_answers') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

editions as (
    select * from {{ ref('cfg_editions') }}
),

checked as (
    select
        count(*) as n_rows,
        count(*) filter (
            where facts.municipality_code is null or facts.fiscal_year is null or facts.item_code is null
        ) as n_null_key,
        count(*) filter (where municipalities.municipality_code is null) as n_unknown_municipality,
        count(*) filter (where facts.edition_id is null or editions.edition_id is null) as n_unknown_edition,
        count(*) filter (
            where facts.answer_status is null or facts.answer_status not in (
                'implemented', 'not_implemented', 'value', 'not_surveyed', 'not_applicable', 'missing',
                'not_in_edition'
            )
        ) as n_unknown_status,
        count(*) filter (
            where facts.value_numeric < 0 or (facts.value_type = 'percent' and facts.value_numeric > 100)
        ) as n_out_of_range,
        count(*) filter (
            where facts.is_answered and (facts.value_type = 'flag') != (facts.is_in_place is not null)
        ) as n_flag_without_place,
        count(*) filter (where not facts.is_answered and facts.missing_reason is null) as n_missing_without_reason,
        count(facts.raw_answer_id) as n_with_raw_answer,
        count(*) filter (where facts.is_substituted is null or facts.is_sample is null) as n_null_flags
    from facts
    left join municipalities
        on facts.municipality_code = municipalities.municipality_code
    left join editions
        on facts.edition_id = editions.edition_id
),

distinct_keys as (
    -- keys without a null part (a null part is its own rule)
    select
        municipality_code,
        fiscal_year,
        item_code
    from facts
    where municipality_code is not null and fiscal_year is not null and item_code is not null
    group by 1, 2, 3
),

distinct_raw_answers as (
    select raw_answer_id
    from facts
    where raw_answer_id is not null
    group by 1
),

counted as (
    select
        checked.*,
        (select count(*) from distinct_keys) as n_keys,
        (select count(*) from distinct_raw_answers) as n_distinct_raw_answers
    from checked
),

broken as (
    select
        rules.rule_name,
        rules.n_broken
    from counted
    cross join lateral (
        values
        ('duplicate key', counted.n_rows - counted.n_keys),
        ('null key', counted.n_null_key),
        ('municipality not in dim_municipalities', counted.n_unknown_municipality),
        ('edition not in cfg_editions', counted.n_unknown_edition),
        ('unknown answer_status', counted.n_unknown_status),
        ('value out of range', counted.n_out_of_range),
        ('flag answered without is_in_place (or a non-flag with it)', counted.n_flag_without_place),
        ('no value and no missing_reason', counted.n_missing_without_reason),
        ('raw answer behind two cells', counted.n_with_raw_answer - counted.n_distinct_raw_answers),
        ('null is_substituted or is_sample', counted.n_null_flags)
    ) as rules (rule_name, n_broken)
)

select * from broken
where n_broken != 0
