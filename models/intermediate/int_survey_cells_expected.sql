-- The grid the fact table fills: every municipality x every (analysis year, item) that some
-- edition feeds (int_survey_year_items), with the edition each value must come from after
-- substitutions (cfg_substitutions). A cell exists whether or not any answer was loaded.
-- A view: fct_survey_answers reads it only for the cells no answer fills.
{{ config(materialized='view') }}

with

year_items as (
    select * from {{ ref('int_survey_year_items') }}
),

substitutions as (
    select * from {{ ref('cfg_substitutions') }}
),

municipalities as (
    select * from {{ ref('stg_mic__municipalities') }}
),

cells as (
    select
        municipalities.municipality_code,
        year_items.fiscal_year,
        year_items.item_code,
        year_items.edition_id as year_edition_id,
        year_items.survey_program,
        year_items.in_domain_mean,
        year_items.in_tallies,
        year_items.comparability_break,
        year_items.break_note,
        year_items.is_proxy_for_report
    from year_items
    cross join municipalities
),

final as (
    select
        cells.municipality_code,
        cells.fiscal_year,
        cells.item_code,
        cells.year_edition_id,
        cells.survey_program,
        cells.in_domain_mean,
        cells.in_tallies,
        cells.comparability_break,
        cells.break_note,
        cells.is_proxy_for_report,
        substitutions.municipality_code is not null as is_substituted,
        substitutions.reason as substitution_reason,
        coalesce(substitutions.substitute_edition_id, cells.year_edition_id) as value_edition_id
    from cells
    left join substitutions
        on
            cells.municipality_code = substitutions.municipality_code
            and cells.fiscal_year = substitutions.analysis_fiscal_year
            and cells.survey_program = substitutions.survey_program
)

select * from final
