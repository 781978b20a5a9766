-- Raw answers that are valid but do not become a fact row, each with the reason. Together with
-- fct_survey_answers they account for every raw answer (tests/dbt/assert_survey_answers_reconcile).
with

answers as (
    select * from {{ ref('int_survey_answers_validated') }}
),

facts as (
    select * from {{ ref('fct_survey_answers') }}
),

substitutions as (
    select * from {{ ref('cfg_substitutions') }}
),

unused as (
    select answers.*
    from answers
    left join facts
        on answers.raw_answer_id = facts.raw_answer_id
    where facts.raw_answer_id is null
),

final as (
    select
        unused.raw_answer_id,
        unused.source_relation,
        unused.seed_row,
        unused.edition_id,
        unused.source_file,
        unused.source_row,
        unused.source_column,
        unused.municipality_code,
        unused.question_id,
        unused.item_code,
        unused.raw_value,
        unused.answer_status,
        case
            when substitutions.municipality_code is not null
                then
                    'replaced by substitution from ' || substitutions.substitute_edition_id || ': '
                    || substitutions.reason
            when unused.analysis_fiscal_year is null
                then 'edition not used by the analysis (cfg_editions.analysis_fiscal_year is empty)'
            else 'not placed in any expected cell'
        end as quarantine_reason
    from unused
    left join substitutions
        on
            unused.municipality_code = substitutions.municipality_code
            and unused.analysis_fiscal_year = substitutions.analysis_fiscal_year
            and unused.survey_program = substitutions.survey_program
)

select * from final
