-- The two open-data surveys reach fct_survey_answers as official answers of their own editions
-- and years (2020, 2024), one per municipality and item, with non-respondents explicit
-- (not_surveyed), and nothing of them leaks into the report's years. Returns offending rows.
with

facts as (
    -- the cells of the two official editions (a copy of them under another edition id, as the
    -- benchmark makes, is another survey and not checked here)
    select * from {{ ref('fct_survey_answers') }}
    where
        domain = 'open_data_surveys'
        and official_edition_id in ('cio_open_data_survey_r2', 'da_open_data_survey_r6')
),

expected as (
    select
        2020 as fiscal_year,
        'open_data_survey_in_place' as item_code,
        'cio_open_data_survey_r2' as edition_id
    union all
    select
        2020 as fiscal_year,
        'open_data_survey_list_ready' as item_code,
        'cio_open_data_survey_r2' as edition_id
    union all
    select
        2024 as fiscal_year,
        'open_data_survey_in_place' as item_code,
        'da_open_data_survey_r6' as edition_id
),

per_cell as (
    select
        fiscal_year,
        item_code,
        min(edition_id) as edition_id,
        max(edition_id) as max_edition_id,
        count(*) as n_rows,
        count(*) filter (where is_sample) as n_sample,
        count(*) filter (where answer_status = 'missing') as n_missing,
        count(*) filter (
            where answer_status = 'not_surveyed' and raw_value not in ('未提出', '未確認')
        ) as n_silent_not_surveyed,
        count(*) filter (where raw_answer_id is null) as n_untraced
    from facts
    group by 1, 2
),

problems as (
    select
        coalesce(expected.fiscal_year, per_cell.fiscal_year) as fiscal_year,
        coalesce(expected.item_code, per_cell.item_code) as item_code,
        'expected cell set differs or is not official' as problem
    from expected
    full outer join per_cell
        on expected.fiscal_year = per_cell.fiscal_year and expected.item_code = per_cell.item_code
    where
        per_cell.item_code is null
        or expected.item_code is null
        or per_cell.edition_id != expected.edition_id
        or per_cell.max_edition_id != expected.edition_id
        or per_cell.n_rows != 1741
        or per_cell.n_sample > 0
        or per_cell.n_missing > 0
        or per_cell.n_untraced > 0
    union all
    select
        fiscal_year,
        item_code,
        'blank answer from a respondent counted as not surveyed' as problem
    from per_cell
    where n_silent_not_surveyed > 0 and item_code = 'open_data_survey_in_place'
    union all
    select
        fiscal_year,
        item_code,
        'open-data survey answer in a report year' as problem
    from {{ ref('fct_survey_answers') }}
    where domain = 'open_data_surveys' and fiscal_year in (2021, 2022, 2023)
)

select * from problems
