-- The grid the fact table fills: every municipality x every (analysis year, item) that some
-- edition feeds (cfg_item_crosswalk x cfg_editions), with the edition each value must come from
-- after substitutions (cfg_substitutions). A cell exists whether or not any answer was loaded.
-- A view: fct_survey_answers reads it once. Two editions feeding the same (item, year) stop the
-- build with a message naming both editions, the item and the year.
{{ config(materialized='view') }}

with

crosswalk as (
    select * from {{ ref('cfg_item_crosswalk') }}
),

editions as (
    select * from {{ ref('cfg_editions') }}
),

substitutions as (
    select * from {{ ref('cfg_substitutions') }}
),

municipalities as (
    select * from {{ ref('stg_mic__municipalities') }}
),

year_items as (
    select
        editions.analysis_fiscal_year as fiscal_year,
        crosswalk.item_code,
        crosswalk.edition_id,
        crosswalk.survey_program,
        crosswalk.in_domain_mean,
        crosswalk.in_tallies,
        crosswalk.comparability_break,
        crosswalk.break_note,
        crosswalk.is_proxy_for_report
    from crosswalk
    inner join editions
        on crosswalk.edition_id = editions.edition_id
    where editions.analysis_fiscal_year is not null
),

contested_year_items as (
    select
        fiscal_year,
        item_code,
        string_agg(distinct edition_id, ', ' order by edition_id) as edition_ids
    from year_items
    group by fiscal_year, item_code
    having count(distinct edition_id) > 1
),

issues as (
    select
        'two editions feed one item and year' as issue_kind,
        'editions ' || edition_ids || ' both feed item ''' || item_code || ''' for fiscal year '
        || fiscal_year || ' (cfg_item_crosswalk x cfg_editions.analysis_fiscal_year): give one of them'
        || ' another analysis_fiscal_year or drop its crosswalk row' as message
    from contested_year_items
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
    where {{ raise_on_issues('issues', 'int_survey_cells_expected') }}
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
