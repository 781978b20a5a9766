-- The sample never overwrites official data: every answer of an edition itself (edition_priority
-- 0, not a sample standing in for it) in an analysis year is the value of its cell unless the
-- cell is substituted; a stand-in answer never takes a cell its edition answers.
-- An official answer that is its own cell's value (same raw answer, same cell) passes at once;
-- only the others (a few: substituted cells) are looked up by cell. Cells are unique
-- (assert_fct_survey_answers_invariants), so this is the same check as joining every official
-- answer to its cell.
with

answers as (
    select * from {{ ref('int_survey_answers_validated') }}
),

facts as not materialized (
    select * from {{ ref('fct_survey_answers') }}
),

official as (
    select * from answers
    where edition_priority = 0 and analysis_fiscal_year is not null
),

not_in_own_cell as (
    select official.*
    from official
    anti join facts
        on
            official.raw_answer_id = facts.raw_answer_id
            and official.municipality_code = facts.municipality_code
            and official.analysis_fiscal_year = facts.fiscal_year
            and official.item_code = facts.item_code
)

select
    not_in_own_cell.raw_answer_id,
    not_in_own_cell.municipality_code,
    not_in_own_cell.item_code,
    facts.edition_id as fact_edition_id,
    facts.is_sample
from not_in_own_cell
inner join facts
    on
        not_in_own_cell.municipality_code = facts.municipality_code
        and not_in_own_cell.analysis_fiscal_year = facts.fiscal_year
        and not_in_own_cell.item_code = facts.item_code
where
    not facts.is_substituted
    and facts.raw_answer_id is distinct from not_in_own_cell.raw_answer_id
