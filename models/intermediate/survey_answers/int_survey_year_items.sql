-- The (analysis year, item) pairs some edition feeds (cfg_item_crosswalk x cfg_editions), one row
-- each, with the edition that feeds it and the crosswalk's flags for that year. Small: the grid
-- (int_survey_cells_expected) is these x every municipality, and fct_survey_answers places each
-- answer through these rows instead of matching it against the whole grid. Two editions feeding
-- the same (item, year) stop the build with a message naming both editions, the item and the year.
with

crosswalk as (
    select * from {{ ref('cfg_item_crosswalk') }}
),

editions as (
    select * from {{ ref('cfg_editions') }}
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

final as (
    select
        fiscal_year,
        item_code,
        edition_id,
        survey_program,
        in_domain_mean,
        in_tallies,
        comparability_break,
        break_note,
        is_proxy_for_report
    from year_items
    where {{ raise_on_issues('issues', 'int_survey_year_items') }}
)

select * from final
