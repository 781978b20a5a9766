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

joined as (
    select
        cells.municipality_code,
        cells.fiscal_year,
        cells.item_code,
        items.domain,
        items.value_type,
        case
            when answers.answer_status is not null then answers.answer_status
            when
                editions.expected_coverage = 'partial' and covered_bodies.municipality_code is null
                and answers.raw_answer_id is null
                then 'not_in_edition'
            else 'missing'
        end as answer_status,
        answers.value_numeric,
        answers.raw_value,
        coalesce(answer_editions.source_id, editions.source_id) as source_id,
        coalesce(answers.edition_id, cells.value_edition_id) as edition_id,
        cells.value_edition_id as official_edition_id,
        coalesce(answer_editions.edition_year, editions.edition_year) as edition_year,
        cells.survey_program,
        cells.is_substituted,
        cells.substitution_reason,
        coalesce(answer_editions.is_sample, false) as is_sample,
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
        loaded_target_editions.edition_id is not null as is_edition_loaded,
        coalesce(editions.expected_coverage, '') != 'partial'
        or covered_bodies.municipality_code is not null as is_in_edition_coverage
    from cells
    inner join items
        on cells.item_code = items.item_code
    inner join editions
        on cells.value_edition_id = editions.edition_id
    left join chosen_answers as answers
        on
            cells.value_edition_id = answers.target_edition_id
            and cells.item_code = answers.item_code
            and cells.municipality_code = answers.municipality_code
    left join editions as answer_editions
        on answers.edition_id = answer_editions.edition_id
    left join loaded_target_editions
        on cells.value_edition_id = loaded_target_editions.edition_id
    left join covered_bodies
        on
            cells.value_edition_id = covered_bodies.edition_id
            and cells.municipality_code = covered_bodies.municipality_code
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
        {{ code_label_ja('answer_status', 'joined.answer_status') }} as answer_status_ja
    from joined
)

select * from final
