-- Every raw answer joined to its edition, item and normalised status. Any answer that cannot
-- be placed (unknown edition, unmapped question, unknown mark, unknown or duplicate
-- municipality) or a body missing from a loaded edition stops the build with a message
-- naming the seed, its row and the value (macro raise_on_issues). No row is dropped here.
with

answers as (
    select * from {{ ref('stg_survey__answers') }}
),

editions as (
    select * from {{ ref('cfg_editions') }}
),

crosswalk as (
    select * from {{ ref('cfg_item_crosswalk') }}
),

items as (
    select * from {{ ref('cfg_items') }}
),

vocabulary as (
    select * from {{ ref('cfg_answer_vocabulary') }}
),

substitutions as (
    select * from {{ ref('cfg_substitutions') }}
),

municipalities as (
    select * from {{ ref('stg_mic__municipalities') }}
),

mapped as (
    select
        answers.raw_answer_id,
        answers.source_relation,
        answers.seed_row,
        answers.edition_id,
        answers.source_file,
        answers.source_row,
        answers.source_column,
        answers.municipality_code,
        answers.municipality_name,
        answers.question_group,
        answers.question_id,
        answers.raw_value,
        editions.source_id,
        editions.edition_year,
        editions.analysis_fiscal_year,
        editions.expected_coverage,
        editions.is_sample,
        coalesce(editions.stands_in_for, answers.edition_id) as target_edition_id,
        case when editions.stands_in_for is null then 0 else 1 end as edition_priority,
        crosswalk.item_code,
        crosswalk.survey_program,
        crosswalk.in_domain_mean,
        crosswalk.in_tallies,
        crosswalk.comparability_break,
        crosswalk.break_note,
        items.domain,
        items.value_type,
        editions.edition_id is not null as is_known_edition,
        municipalities.municipality_code is not null as is_known_municipality
    from answers
    left join editions
        on answers.edition_id = editions.edition_id
    left join crosswalk
        on
            coalesce(editions.stands_in_for, answers.edition_id) = crosswalk.edition_id
            and answers.question_id = crosswalk.question_id
    left join items
        on crosswalk.item_code = items.item_code
    left join municipalities
        on answers.municipality_code = municipalities.municipality_code
),

vocabulary_matches as (
    select
        mapped.raw_answer_id,
        vocabulary.status,
        row_number() over (
            partition by mapped.raw_answer_id
            order by case vocabulary.match_kind when 'exact' then 1 when 'blank' then 2 else 3 end
        ) as match_rank
    from mapped
    inner join vocabulary
        on
            mapped.value_type = vocabulary.value_type
            and (
                (vocabulary.match_kind = 'exact' and mapped.raw_value = vocabulary.raw_value)
                or (vocabulary.match_kind = 'blank' and nullif(trim(mapped.raw_value), '') is null)
                or (vocabulary.match_kind = 'regex' and regexp_full_match(mapped.raw_value, vocabulary.raw_value))
            )
),

normalised as (
    select
        mapped.*,
        vocabulary_matches.status as answer_status,
        case
            when vocabulary_matches.status = 'value'
                then cast(regexp_extract(mapped.raw_value, '[0-9]+(\.[0-9]+)?', 0) as double)
        end as value_numeric,
        count(*) over (
            partition by mapped.edition_id, mapped.question_id, mapped.municipality_code
        ) as n_answers_same_cell
    from mapped
    left join vocabulary_matches
        on
            mapped.raw_answer_id = vocabulary_matches.raw_answer_id
            and vocabulary_matches.match_rank = 1
),

edition_questions as (
    select distinct
        edition_id,
        target_edition_id,
        question_id,
        source_relation,
        expected_coverage
    from normalised
    where item_code is not null
),

expected_bodies as (
    select
        edition_questions.edition_id,
        edition_questions.question_id,
        edition_questions.source_relation,
        municipalities.municipality_code,
        municipalities.municipality_name
    from edition_questions
    cross join municipalities
    where edition_questions.expected_coverage = 'all'
    union all
    select
        edition_questions.edition_id,
        edition_questions.question_id,
        edition_questions.source_relation,
        municipalities.municipality_code,
        municipalities.municipality_name
    from edition_questions
    inner join substitutions
        on edition_questions.target_edition_id = substitutions.substitute_edition_id
    inner join municipalities
        on substitutions.municipality_code = municipalities.municipality_code
    where edition_questions.expected_coverage = 'substitutions'
),

missing_bodies as (
    select expected_bodies.*
    from expected_bodies
    left join normalised
        on
            expected_bodies.edition_id = normalised.edition_id
            and expected_bodies.question_id = normalised.question_id
            and expected_bodies.municipality_code = normalised.municipality_code
    where normalised.raw_answer_id is null
),

located as (
    select
        *,
        'answers ' || source_relation || ' row ' || seed_row
        || ' (file ' || coalesce(source_file, '?') || ' line ' || coalesce(cast(source_row as varchar), '?')
        || ' column ' || coalesce(cast(source_column as varchar), '?')
        || ', municipality ' || coalesce(municipality_code, 'null')
        || ', question ''' || coalesce(question_id, 'null') || ''')' as answer_location
    from normalised
),

issues as (
    select
        'unknown edition' as issue_kind,
        answer_location || ': edition_id ''' || coalesce(edition_id, 'null') || '''' as message
    from located
    where not is_known_edition
    union all
    select
        'unmapped question' as issue_kind,
        answer_location || ': no cfg_item_crosswalk row for edition ''' || edition_id || '''' as message
    from located
    where is_known_edition and item_code is null
    union all
    select
        'unknown item' as issue_kind,
        answer_location || ': item_code ''' || item_code || ''' is not in cfg_items' as message
    from located
    where item_code is not null and value_type is null
    union all
    select
        'unknown answer mark' as issue_kind,
        answer_location || ': value ''' || coalesce(raw_value, 'null')
        || ''' is not in cfg_answer_vocabulary for value type ' || value_type as message
    from located
    where value_type is not null and answer_status is null
    union all
    select
        'unknown municipality code' as issue_kind,
        answer_location || ': value ''' || coalesce(municipality_code, 'null') || '''' as message
    from located
    where not is_known_municipality
    union all
    select
        'duplicate municipality' as issue_kind,
        answer_location || ': ' || n_answers_same_cell
        || ' answers for the same edition, question and municipality' as message
    from located
    where n_answers_same_cell > 1
    union all
    select
        'municipality missing from edition' as issue_kind,
        'answers ' || source_relation || ', edition ''' || edition_id
        || ''', question ''' || question_id || ''' has no answer for ' || municipality_code || ' '
        || municipality_name as message
    from missing_bodies
),

final as (
    select
        raw_answer_id,
        source_relation,
        seed_row,
        edition_id,
        target_edition_id,
        edition_priority,
        source_id,
        edition_year,
        analysis_fiscal_year,
        is_sample,
        source_file,
        source_row,
        source_column,
        municipality_code,
        municipality_name,
        question_group,
        question_id,
        raw_value,
        item_code,
        domain,
        value_type,
        survey_program,
        in_domain_mean,
        in_tallies,
        comparability_break,
        break_note,
        answer_status,
        value_numeric
    from normalised
    where {{ raise_on_issues('issues', 'int_survey_answers_validated') }}
)

select * from final
