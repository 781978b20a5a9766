-- The sample never overwrites official data: every answer of an edition itself (edition_priority
-- 0, not a sample standing in for it) in an analysis year is the value of its cell unless the
-- cell is substituted; a stand-in answer never takes a cell its edition answers.
with

answers as (
    select * from {{ ref('int_survey_answers_validated') }}
),

facts as (
    select * from {{ ref('fct_survey_answers') }}
),

official as (
    select * from answers
    where edition_priority = 0 and analysis_fiscal_year is not null
)

select
    official.raw_answer_id,
    official.municipality_code,
    official.item_code,
    facts.edition_id as fact_edition_id,
    facts.is_sample
from official
inner join facts
    on
        official.municipality_code = facts.municipality_code
        and official.analysis_fiscal_year = facts.fiscal_year
        and official.item_code = facts.item_code
where
    not facts.is_substituted
    and facts.raw_answer_id is distinct from official.raw_answer_id
