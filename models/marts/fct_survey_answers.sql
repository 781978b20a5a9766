-- One row per (municipality, fiscal year, item): the value, where it came from and why it is
-- missing when it is. Cells with no answer stay as rows with missing_reason.
with

cells as (
    select * from {{ ref('int_survey_cells_expected') }}
),

answers as (
    select * from {{ ref('int_survey_answers_validated') }}
),

editions as (
    select * from {{ ref('cfg_editions') }}
),

items as (
    select * from {{ ref('cfg_items') }}
),

loaded_editions as (
    select distinct edition_id
    from answers
),

joined as (
    select
        cells.municipality_code,
        cells.fiscal_year,
        cells.item_code,
        items.domain,
        items.value_type,
        coalesce(answers.answer_status, 'missing') as answer_status,
        answers.value_numeric,
        answers.raw_value,
        editions.source_id,
        cells.value_edition_id as edition_id,
        editions.edition_year,
        cells.survey_program,
        cells.is_substituted,
        cells.substitution_reason,
        editions.is_sample,
        cells.in_domain_mean,
        cells.in_tallies,
        cells.comparability_break,
        cells.break_note,
        cells.is_proxy_for_report,
        answers.raw_answer_id,
        answers.source_relation,
        answers.source_file,
        answers.source_row,
        answers.source_column,
        loaded_editions.edition_id is not null as is_edition_loaded
    from cells
    inner join items
        on cells.item_code = items.item_code
    inner join editions
        on cells.value_edition_id = editions.edition_id
    left join answers
        on
            cells.value_edition_id = answers.edition_id
            and cells.item_code = answers.item_code
            and cells.municipality_code = answers.municipality_code
    left join loaded_editions
        on cells.value_edition_id = loaded_editions.edition_id
),

final as (
    select
        municipality_code,
        fiscal_year,
        item_code,
        domain,
        value_type,
        answer_status,
        case
            when value_type = 'flag' and answer_status = 'implemented' then true
            when value_type = 'flag' and answer_status = 'not_implemented' then false
        end as is_in_place,
        value_numeric,
        answer_status in ('implemented', 'not_implemented', 'value') as is_answered,
        raw_value,
        case
            when answer_status = 'not_surveyed'
                then 'not surveyed: edition ' || edition_id || ' marks ''' || coalesce(raw_value, '') || ''''
            when answer_status = 'not_applicable'
                then 'not applicable: edition ' || edition_id || ' marks ''' || coalesce(raw_value, '') || ''''
            when answer_status = 'missing' and not is_edition_loaded
                then 'no answers loaded for edition ' || edition_id
            when answer_status = 'missing'
                then 'edition ' || edition_id || ' has no question mapped to this item'
        end as missing_reason,
        source_id,
        edition_id,
        edition_year,
        survey_program,
        is_substituted,
        substitution_reason,
        is_sample,
        in_domain_mean,
        in_tallies,
        comparability_break,
        break_note,
        is_proxy_for_report,
        raw_answer_id,
        source_relation,
        source_file,
        source_row,
        source_column
    from joined
)

select * from final
