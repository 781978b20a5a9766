-- One row per (municipality, fiscal year, item): the value, where it came from and why it is
-- missing when it is. Cells with no answer stay as rows with missing_reason. The choice of
-- answer (editions, precedence, coverage) is int_survey_answers_chosen's; this model labels each
-- cell: the item's domain and value type, the answer's edition, source and sample flag, whether
-- a flag is in place, the status in Japanese and the reason a value is missing.
with

chosen as (
    select * from {{ ref('int_survey_answers_chosen') }}
),

editions as (
    select * from {{ ref('cfg_editions') }}
),

items as (
    select * from {{ ref('cfg_items') }}
),

status_labels as (
    -- joined once (a per-row label lookup costs a correlated subquery over every cell)
    select
        code as status_code,
        label_ja as answer_status_ja
    from {{ ref('cfg_code_labels') }}
    where code_type = 'answer_status'
),

joined as (
    -- an answered cell takes its source, year and sample flag from the answer's edition; a cell
    -- no answer fills from the edition its value must come from
    select
        chosen.municipality_code,
        chosen.fiscal_year,
        chosen.item_code,
        items.domain,
        items.value_type,
        chosen.answer_status,
        chosen.value_numeric,
        chosen.raw_value,
        coalesce(answer_editions.source_id, editions.source_id) as source_id,
        coalesce(chosen.answer_edition_id, chosen.official_edition_id) as edition_id,
        chosen.official_edition_id,
        coalesce(answer_editions.edition_year, editions.edition_year) as edition_year,
        chosen.survey_program,
        chosen.is_substituted,
        chosen.substitution_reason,
        coalesce(answer_editions.is_sample, false) as is_sample,
        chosen.in_domain_mean,
        chosen.in_tallies,
        chosen.comparability_break,
        chosen.break_note,
        chosen.is_proxy_for_report,
        chosen.raw_answer_id,
        chosen.source_relation,
        chosen.source_file,
        chosen.source_row,
        chosen.source_column,
        chosen.is_edition_loaded,
        chosen.is_in_edition_coverage
    from chosen
    inner join items
        on chosen.item_code = items.item_code
    inner join editions
        on chosen.official_edition_id = editions.edition_id
    left join editions as answer_editions
        on chosen.answer_edition_id = answer_editions.edition_id
),

labelled as (
    select
        joined.*,
        status_labels.answer_status_ja
    from joined
    left join status_labels
        on joined.answer_status = status_labels.status_code
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
            when answer_status = 'not_in_edition'
                then
                    'not in edition: ' || official_edition_id
                    || ' is a partial edition (expected_coverage = partial) that does not cover this body'
            when answer_status = 'missing' and not is_edition_loaded
                then 'no answers loaded for edition ' || official_edition_id
            when answer_status = 'missing'
                then 'edition ' || official_edition_id || ' has no question mapped to this item'
        end as missing_reason,
        source_id,
        edition_id,
        official_edition_id,
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
        source_column,
        is_in_edition_coverage,
        answer_status_ja
    from labelled
)

select * from final
