-- The substitution rule, in one place: a body listed in cfg_substitutions takes that analysis
-- year's values of the substituted survey program from the substitute edition. One row per
-- (municipality, year, item) cell the rule moves to another edition: cfg_substitutions x the
-- (year, item) pairs of that survey program (int_survey_year_items). Small (the substituted
-- bodies x their program's items). The grid (int_survey_cells_expected), the fact table's
-- placement (fct_survey_answers) and the quarantine's reasons (fct_survey_answer_quarantine)
-- all read the rule from here.
with

year_items as (
    select * from {{ ref('int_survey_year_items') }}
),

substitutions as (
    select * from {{ ref('cfg_substitutions') }}
),

substituted_cells as (
    select
        substitutions.municipality_code,
        year_items.fiscal_year,
        year_items.item_code,
        year_items.survey_program,
        year_items.edition_id as year_edition_id,
        substitutions.substitute_edition_id as value_edition_id,
        substitutions.reason as substitution_reason
    from substitutions
    inner join year_items
        on
            substitutions.analysis_fiscal_year = year_items.fiscal_year
            and substitutions.survey_program = year_items.survey_program
),

final as (
    select
        municipality_code,
        fiscal_year,
        item_code,
        survey_program,
        year_edition_id,
        value_edition_id,
        substitution_reason
    from substituted_cells
)

select * from final
