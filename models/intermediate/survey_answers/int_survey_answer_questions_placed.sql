-- One row per (edition, question) the raw answers hold: how many answers and distinct bodies
-- it has, and where it is placed (its edition known or not, the official edition it counts for,
-- the item it maps to and the item's value type). The answer checks and the placement of every
-- answer work on these rows, never on a wide copy of the answers: more answers than bodies
-- shows a duplicate, fewer bodies than the code list a short question. Ephemeral: it runs inside
-- the query that stores the answers (int_survey_answers_validated).
{{ config(materialized='ephemeral') }}

with

answers as (
    select * from {{ ref('int_survey_answers_unioned') }}
),

editions as (
    select * from {{ ref('cfg_editions') }}
),

crosswalk as (
    select * from {{ ref('cfg_item_crosswalk') }}
),

items as (
    select * from {{ ref('cfg_items') }}
),

question_stats as (
    select
        edition_id,
        question_id,
        count(*) as n_answers,
        count(distinct municipality_code) as n_bodies
    from answers
    group by edition_id, question_id
),

final as (
    select
        question_stats.edition_id,
        question_stats.question_id,
        question_stats.n_answers,
        question_stats.n_bodies,
        editions.edition_id is not null as is_known_edition,
        coalesce(editions.stands_in_for, question_stats.edition_id) as target_edition_id,
        case when editions.stands_in_for is null then 0 else 1 end as edition_priority,
        editions.analysis_fiscal_year,
        editions.expected_coverage,
        crosswalk.item_code,
        crosswalk.survey_program,
        items.value_type
    from question_stats
    left join editions
        on question_stats.edition_id = editions.edition_id
    left join crosswalk
        on
            coalesce(editions.stands_in_for, question_stats.edition_id) = crosswalk.edition_id
            and question_stats.question_id = crosswalk.question_id
    left join items
        on crosswalk.item_code = items.item_code
)

select * from final
