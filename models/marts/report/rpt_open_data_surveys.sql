-- Not a figure of the report: the two official open-data surveys (FY2020 令和2年 and FY2024
-- 令和6年度) as item rates per year, nationally and per size class, with their coverage. The rate
-- is over the bodies that answered (n_respondents); the bounds say where the rate over all bodies
-- would lie if every non-respondent lacked, or had, open data. Kept apart from the report's
-- 2021/2023 open-data item (docs/opendata_surveys.md).
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

survey_facts as (
    select
        facts.fiscal_year,
        facts.item_code,
        facts.edition_id,
        facts.source_id,
        facts.is_sample,
        facts.is_answered,
        facts.is_in_place,
        facts.answer_status,
        municipalities.size_class,
        municipalities.size_class_ja,
        municipalities.size_class_sort_order
    from facts
    inner join municipalities
        on facts.municipality_code = municipalities.municipality_code
    where facts.domain = 'open_data_surveys'
),

memberships as (
    select
        survey_facts.*,
        'all' as group_type,
        'all' as group_code,
        '全国' as group_name_ja,
        0 as group_sort_order
    from survey_facts
    union all
    select
        survey_facts.*,
        'size_class' as group_type,
        survey_facts.size_class as group_code,
        survey_facts.size_class_ja as group_name_ja,
        survey_facts.size_class_sort_order as group_sort_order
    from survey_facts
),

grouped as (
    select
        fiscal_year,
        item_code,
        edition_id,
        source_id,
        group_type,
        group_code,
        group_name_ja,
        group_sort_order,
        count(*) as n_bodies,
        count(*) filter (where is_answered) as n_respondents,
        count(*) filter (where answer_status = 'not_surveyed') as n_not_surveyed,
        count(*) filter (where is_in_place) as n_in_place,
        count(*) filter (where is_sample) as n_sample_inputs,
        -- over the respondents: is_in_place is null for a body without an answer
        {{ rate_pct('is_in_place') }} as rate_over_respondents_pct
    from memberships
    group by all
),

final as (
    select
        grouped.fiscal_year,
        grouped.item_code,
        items.item_name_ja,
        grouped.edition_id,
        grouped.source_id,
        grouped.group_type,
        grouped.group_code,
        grouped.group_name_ja,
        grouped.group_sort_order,
        grouped.n_bodies,
        grouped.n_respondents,
        grouped.n_not_surveyed,
        grouped.n_in_place,
        round(grouped.rate_over_respondents_pct, 1) as rate_over_respondents_pct,
        round({{ rate_pct_of_counts('grouped.n_respondents', 'grouped.n_bodies') }}, 1) as coverage_pct,
        round({{ rate_pct_of_counts('grouped.n_in_place', 'grouped.n_bodies') }}, 1) as rate_lower_bound_pct,
        round(
            {{ rate_pct_of_counts(
                '(grouped.n_in_place + grouped.n_bodies - grouped.n_respondents)', 'grouped.n_bodies'
            ) }},
            1
        ) as rate_upper_bound_pct,
        case when grouped.n_sample_inputs = 0 then 'official' else 'mixed' end as input_basis,
        {{ code_label_ja(
            'input_basis',
            "case when grouped.n_sample_inputs = 0 then 'official' else 'mixed' end",
        ) }} as input_basis_ja
    from grouped
    inner join items
        on grouped.item_code = items.item_code
)

select * from final
