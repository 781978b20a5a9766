-- The choice of answer, one row per cell of the grid (municipality x analysis year x item): the
-- answer chosen for it, or none and why. Editions: a chosen answer fills its edition's own year,
-- unless that body's cell is substituted (int_survey_cells_substituted, the one place of the
-- rule), and the substituted body's cell when the answer is the substitute edition's.
-- Precedence: an official answer always wins over a sample answer standing in for the same
-- edition. Coverage: a cell no answer fills is not_in_edition when its edition is partial and
-- does not cover the body, else missing. fct_survey_answers labels these rows.
-- Cost: a view, read once by fct_survey_answers. Each chosen answer is placed in its cell
-- through the small (year, item) and substituted-cell tables, not matched against the whole
-- grid; the grid (int_survey_cells_expected) is read only for the (year, item) pairs whose
-- answers do not fill every body, to find the unfilled cells.
{{ config(materialized='view') }}

with

year_items as (
    select * from {{ ref('int_survey_year_items') }}
),

cells as (
    select * from {{ ref('int_survey_cells_expected') }}
),

answers as (
    select * from {{ ref('int_survey_answers_validated') }}
),

editions as (
    select * from {{ ref('cfg_editions') }}
),

substituted_cells as (
    select * from {{ ref('int_survey_cells_substituted') }}
),

municipalities as (
    select * from {{ ref('stg_mic__municipalities') }}
),

loaded_editions as (
    select distinct
        target_edition_id as edition_id,
        edition_id as answer_edition_id
    from answers
),

loaded_target_editions as (
    select distinct edition_id
    from loaded_editions
),

competing_editions as (
    -- editions answered both by themselves and by a stand-in (sample): only their cells are ranked
    select edition_id
    from loaded_editions
    group by edition_id
    having count(*) > 1
),

uncontested_answers as (
    select answers.*
    from answers
    anti join competing_editions
        on answers.target_edition_id = competing_editions.edition_id
),

ranked_answers as (
    -- an official answer always wins over a sample answer standing in for the same edition
    select
        answers.*,
        row_number() over (
            partition by answers.target_edition_id, answers.item_code, answers.municipality_code
            order by answers.edition_priority, answers.edition_id
        ) as answer_rank
    from answers
    semi join competing_editions
        on answers.target_edition_id = competing_editions.edition_id
),

chosen_answers as (
    select * from uncontested_answers
    union all
    select * exclude (answer_rank) from ranked_answers
    where answer_rank = 1
),

partial_editions as (
    select edition_id
    from editions
    where expected_coverage = 'partial'
),

covered_bodies as (
    -- the bodies a partial edition answers (any item, itself or a stand-in)
    select distinct
        answers.target_edition_id as edition_id,
        answers.municipality_code
    from answers
    semi join partial_editions
        on answers.target_edition_id = partial_editions.edition_id
),

answer_cells as (
    -- the cell each chosen answer fills: its edition's own year, unless that body's cell is
    -- substituted; and the substituted body's cell, when the answer is the substitute edition's
    select
        chosen_answers.*,
        year_items.fiscal_year,
        false as is_substituted,
        cast(null as varchar) as substitution_reason,
        chosen_answers.target_edition_id as value_edition_id
    from chosen_answers
    inner join year_items
        on
            chosen_answers.target_edition_id = year_items.edition_id
            and chosen_answers.item_code = year_items.item_code
    anti join substituted_cells
        on
            chosen_answers.municipality_code = substituted_cells.municipality_code
            and year_items.fiscal_year = substituted_cells.fiscal_year
            and chosen_answers.item_code = substituted_cells.item_code
    union all
    select
        chosen_answers.*,
        substituted_cells.fiscal_year,
        true as is_substituted,
        substituted_cells.substitution_reason,
        substituted_cells.value_edition_id
    from chosen_answers
    inner join substituted_cells
        on
            chosen_answers.target_edition_id = substituted_cells.value_edition_id
            and chosen_answers.municipality_code = substituted_cells.municipality_code
            and chosen_answers.item_code = substituted_cells.item_code
),

answered_cells as (
    -- the year's flags, joined once
    select
        answer_cells.*,
        year_items.survey_program as cell_survey_program,
        year_items.in_domain_mean,
        year_items.in_tallies,
        year_items.comparability_break,
        year_items.break_note,
        year_items.is_proxy_for_report
    from answer_cells
    inner join year_items
        on
            answer_cells.fiscal_year = year_items.fiscal_year
            and answer_cells.item_code = year_items.item_code
),

year_item_fill as (
    select
        fiscal_year,
        item_code,
        count(*) as n_answered_cells
    from answered_cells
    group by fiscal_year, item_code
),

unfilled_year_items as (
    -- (year, item) pairs whose answers leave some body without a value (answered cells are unique
    -- per body: the fact table's key test; every cell is a row:
    -- tests/dbt/marts/assert_fct_survey_answers_fill_the_grid)
    select
        year_items.fiscal_year,
        year_items.item_code
    from year_items
    left join year_item_fill
        on
            year_items.fiscal_year = year_item_fill.fiscal_year
            and year_items.item_code = year_item_fill.item_code
    where coalesce(year_item_fill.n_answered_cells, 0) < (select count(*) from municipalities)
),

unfilled_cells as (
    select cells.*
    from cells
    semi join unfilled_year_items
        on
            cells.fiscal_year = unfilled_year_items.fiscal_year
            and cells.item_code = unfilled_year_items.item_code
    anti join answered_cells
        on
            cells.municipality_code = answered_cells.municipality_code
            and cells.fiscal_year = answered_cells.fiscal_year
            and cells.item_code = answered_cells.item_code
),

answered as (
    select
        municipality_code,
        fiscal_year,
        item_code,
        answer_status,
        value_numeric,
        raw_value,
        edition_id as answer_edition_id,
        value_edition_id as official_edition_id,
        cell_survey_program as survey_program,
        is_substituted,
        substitution_reason,
        in_domain_mean,
        in_tallies,
        comparability_break,
        break_note,
        is_proxy_for_report,
        raw_answer_id,
        source_relation,
        source_file,
        source_row,
        source_column,
        -- an answered cell's edition is loaded and covers the body it answers
        true as is_edition_loaded,
        true as is_in_edition_coverage
    from answered_cells
),

unanswered as (
    select
        cells.municipality_code,
        cells.fiscal_year,
        cells.item_code,
        case
            when editions.expected_coverage = 'partial' and covered_bodies.municipality_code is null
                then 'not_in_edition'
            else 'missing'
        end as answer_status,
        cast(null as double) as value_numeric,
        cast(null as varchar) as raw_value,
        cast(null as varchar) as answer_edition_id,
        cells.value_edition_id as official_edition_id,
        cells.survey_program,
        cells.is_substituted,
        cells.substitution_reason,
        cells.in_domain_mean,
        cells.in_tallies,
        cells.comparability_break,
        cells.break_note,
        cells.is_proxy_for_report,
        cast(null as varchar) as raw_answer_id,
        cast(null as varchar) as source_relation,
        cast(null as varchar) as source_file,
        cast(null as integer) as source_row,
        cast(null as integer) as source_column,
        loaded_target_editions.edition_id is not null as is_edition_loaded,
        coalesce(editions.expected_coverage, '') != 'partial'
        or covered_bodies.municipality_code is not null as is_in_edition_coverage
    from unfilled_cells as cells
    inner join editions
        on cells.value_edition_id = editions.edition_id
    left join loaded_target_editions
        on cells.value_edition_id = loaded_target_editions.edition_id
    left join covered_bodies
        on
            cells.value_edition_id = covered_bodies.edition_id
            and cells.municipality_code = covered_bodies.municipality_code
),

final as (
    select * from answered
    union all
    select * from unanswered
)

select * from final
