-- The grid the fact table fills: every municipality x every (analysis year, item) that some
-- edition feeds (int_survey_year_items), with the edition each value must come from after
-- substitutions (the rule: int_survey_cells_substituted). A cell exists whether or not any
-- answer was loaded.
-- A view: fct_survey_answers reads it only for the cells no answer fills.
{{ config(materialized='view') }}

with

year_items as (
    select * from {{ ref('int_survey_year_items') }}
),

substituted_cells as (
    select * from {{ ref('int_survey_cells_substituted') }}
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
        substituted_cells.municipality_code is not null as is_substituted,
        substituted_cells.substitution_reason,
        coalesce(substituted_cells.value_edition_id, cells.year_edition_id) as value_edition_id
    from cells
    left join substituted_cells
        on
            cells.municipality_code = substituted_cells.municipality_code
            and cells.fiscal_year = substituted_cells.fiscal_year
            and cells.item_code = substituted_cells.item_code
)

select * from final
