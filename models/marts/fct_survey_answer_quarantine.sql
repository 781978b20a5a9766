-- Raw answers that are valid but do not become a fact row, each with the reason. Together with
-- fct_survey_answers they account for every raw answer (tests/dbt/marts/assert_survey_answers_reconcile).
with

answers as (
    select * from {{ ref('int_survey_answers_validated') }}
),

facts as (
    select * from {{ ref('fct_survey_answers') }}
),

substituted_cells as (
    select * from {{ ref('int_survey_cells_substituted') }}
),

used_cells as (
    select
        official_edition_id,
        item_code,
        municipality_code,
        edition_id as used_edition_id
    from facts
    where raw_answer_id is not null
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
            when substituted_cells.municipality_code is not null
                then
                    'replaced by substitution from ' || substituted_cells.value_edition_id || ': '
                    || substituted_cells.substitution_reason
            when used_cells.used_edition_id is not null
                then 'superseded: the cell takes its value from ' || used_cells.used_edition_id
            when unused.analysis_fiscal_year is null
                then 'edition not used by the analysis (cfg_editions.analysis_fiscal_year is empty)'
            else 'not placed in any expected cell'
        end as quarantine_reason
    from unused
    left join substituted_cells
        on
            unused.municipality_code = substituted_cells.municipality_code
            and unused.analysis_fiscal_year = substituted_cells.fiscal_year
            and unused.item_code = substituted_cells.item_code
    left join used_cells
        on
            unused.target_edition_id = used_cells.official_edition_id
            and unused.item_code = used_cells.item_code
            and unused.municipality_code = used_cells.municipality_code
)

select * from final
