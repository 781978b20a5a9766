-- Every raw answer placed: its edition, item and normalised status. Any answer that cannot be
-- placed (unknown edition, unmapped question, unknown mark, unknown or duplicate municipality, a
-- percent outside 0-100) or a body missing from an edition that covers every body stops the build
-- with a message naming the file, its row and the value (macro raise_on_issues). No row is dropped.
-- Cost: the rows stay narrow (keys, raw value, location), marks are matched to the vocabulary once
-- per distinct (value_type, raw_value) pair, and duplicates are found by grouping.
with

answers as (
    select
        raw_answer_id,
        source_relation,
        seed_row,
        edition_id,
        source_file,
        source_row,
        source_column,
        municipality_code,
        question_id,
        raw_value
    from {{ ref('stg_survey__answers') }}
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

edition_questions as (
    -- the (edition, question) pairs loaded, placed once each
    select distinct
        answers.edition_id,
        answers.question_id
    from answers
),

placed_questions as (
    select
        edition_questions.edition_id,
        edition_questions.question_id,
        editions.edition_id is not null as is_known_edition,
        coalesce(editions.stands_in_for, edition_questions.edition_id) as target_edition_id,
        case when editions.stands_in_for is null then 0 else 1 end as edition_priority,
        editions.analysis_fiscal_year,
        editions.expected_coverage,
        crosswalk.item_code,
        crosswalk.survey_program,
        items.value_type
    from edition_questions
    left join editions
        on edition_questions.edition_id = editions.edition_id
    left join crosswalk
        on
            coalesce(editions.stands_in_for, edition_questions.edition_id) = crosswalk.edition_id
            and edition_questions.question_id = crosswalk.question_id
    left join items
        on crosswalk.item_code = items.item_code
),

mapped as (
    select
        answers.*,
        placed_questions.is_known_edition,
        placed_questions.target_edition_id,
        placed_questions.edition_priority,
        placed_questions.analysis_fiscal_year,
        placed_questions.expected_coverage,
        placed_questions.item_code,
        placed_questions.survey_program,
        placed_questions.value_type
    from answers
    inner join placed_questions
        on
            answers.edition_id = placed_questions.edition_id
            and answers.question_id = placed_questions.question_id
),

value_pairs as (
    select distinct
        value_type,
        raw_value
    from mapped
    where value_type is not null
),

pair_matches as (
    select
        value_pairs.value_type,
        value_pairs.raw_value,
        vocabulary.status,
        row_number() over (
            partition by value_pairs.value_type, value_pairs.raw_value
            order by case vocabulary.match_kind when 'exact' then 1 when 'blank' then 2 else 3 end
        ) as match_rank
    from value_pairs
    inner join vocabulary
        on
            value_pairs.value_type = vocabulary.value_type
            and (
                (vocabulary.match_kind = 'exact' and value_pairs.raw_value = vocabulary.raw_value)
                or (vocabulary.match_kind = 'blank' and nullif(trim(value_pairs.raw_value), '') is null)
                or (vocabulary.match_kind = 'regex' and regexp_full_match(value_pairs.raw_value, vocabulary.raw_value))
            )
),

pair_statuses as (
    select
        value_type,
        raw_value,
        status as answer_status,
        case
            when status = 'value'
                then cast(regexp_extract(raw_value, '[0-9]+(\.[0-9]+)?', 0) as double)
        end as value_numeric
    from pair_matches
    where match_rank = 1
),

normalised as materialized (
    select
        mapped.*,
        pair_statuses.answer_status,
        pair_statuses.value_numeric,
        municipalities.municipality_code is not null as is_known_municipality
    from mapped
    left join pair_statuses
        on
            mapped.value_type = pair_statuses.value_type
            and mapped.raw_value is not distinct from pair_statuses.raw_value
    left join municipalities
        on mapped.municipality_code = municipalities.municipality_code
),

duplicate_cells as (
    select
        edition_id,
        question_id,
        municipality_code,
        count(*) as n_answers_same_cell
    from answers
    group by edition_id, question_id, municipality_code
    having count(*) > 1
),

question_bodies as (
    -- bodies answered per (edition, question) that must cover every body: only a short count
    -- (or the few substituted bodies) sends a question to the body-by-body comparison below;
    -- editions with expected_coverage = 'partial' cover the bodies they answer
    select
        edition_id,
        question_id,
        count(distinct municipality_code) filter (where is_known_municipality) as n_bodies
    from normalised
    where item_code is not null and expected_coverage in ('all', 'substitutions')
    group by edition_id, question_id
),

short_questions as (
    select
        question_bodies.edition_id,
        question_bodies.question_id,
        placed_questions.target_edition_id,
        placed_questions.expected_coverage
    from question_bodies
    inner join placed_questions
        on
            question_bodies.edition_id = placed_questions.edition_id
            and question_bodies.question_id = placed_questions.question_id
    where
        placed_questions.expected_coverage = 'substitutions'
        or question_bodies.n_bodies < (select count(*) from municipalities)
),

expected_bodies as (
    select
        short_questions.edition_id,
        short_questions.question_id,
        municipalities.municipality_code,
        municipalities.municipality_name
    from short_questions
    cross join municipalities
    where short_questions.expected_coverage = 'all'
    union all
    select
        short_questions.edition_id,
        short_questions.question_id,
        municipalities.municipality_code,
        municipalities.municipality_name
    from short_questions
    inner join substitutions
        on short_questions.target_edition_id = substitutions.substitute_edition_id
    inner join municipalities
        on substitutions.municipality_code = municipalities.municipality_code
    where short_questions.expected_coverage = 'substitutions'
),

missing_bodies as (
    select
        expected_bodies.*,
        (
            select string_agg(distinct question_answers.source_relation, ', ' order by question_answers.source_relation)
            from answers as question_answers
            where
                question_answers.edition_id = expected_bodies.edition_id
                and question_answers.question_id = expected_bodies.question_id
        ) as source_relations
    from expected_bodies
    anti join answers
        on
            expected_bodies.edition_id = answers.edition_id
            and expected_bodies.question_id = answers.question_id
            and expected_bodies.municipality_code = answers.municipality_code
),

flagged as (
    -- the few rows with a problem, with their location
    select
        normalised.*,
        duplicate_cells.n_answers_same_cell,
        'answers ' || normalised.source_relation || ' row ' || normalised.seed_row
        || ' (file ' || coalesce(normalised.source_file, '?')
        || ' line ' || coalesce(cast(normalised.source_row as varchar), '?')
        || ' column ' || coalesce(cast(normalised.source_column as varchar), '?')
        || ', municipality ' || coalesce(normalised.municipality_code, 'null')
        || ', question ''' || coalesce(normalised.question_id, 'null') || ''')' as answer_location
    from normalised
    left join duplicate_cells
        on
            normalised.edition_id = duplicate_cells.edition_id
            and normalised.question_id = duplicate_cells.question_id
            and normalised.municipality_code = duplicate_cells.municipality_code
    where
        not normalised.is_known_edition
        or normalised.item_code is null
        or normalised.value_type is null
        or normalised.answer_status is null
        or not normalised.is_known_municipality
        or duplicate_cells.n_answers_same_cell is not null
        or (normalised.value_type = 'percent' and normalised.value_numeric > 100)
),

issues as (
    select
        'unknown edition' as issue_kind,
        answer_location || ': edition_id ''' || coalesce(edition_id, 'null') || '''' as message
    from flagged
    where not is_known_edition
    union all
    select
        'unmapped question' as issue_kind,
        answer_location || ': no cfg_item_crosswalk row for edition ''' || edition_id || '''' as message
    from flagged
    where is_known_edition and item_code is null
    union all
    select
        'unknown item' as issue_kind,
        answer_location || ': item_code ''' || item_code || ''' is not in cfg_items' as message
    from flagged
    where item_code is not null and value_type is null
    union all
    select
        'unknown answer mark' as issue_kind,
        answer_location || ': value ''' || coalesce(raw_value, 'null')
        || ''' is not in cfg_answer_vocabulary for value type ' || value_type as message
    from flagged
    where value_type is not null and answer_status is null
    union all
    select
        'percent out of range' as issue_kind,
        answer_location || ': column raw_value, value ''' || raw_value
        || ''' is a percent above 100 (rates are bounded to 0-100)' as message
    from flagged
    where value_type = 'percent' and value_numeric > 100
    union all
    select
        'unknown municipality code' as issue_kind,
        answer_location || ': value ''' || coalesce(municipality_code, 'null') || '''' as message
    from flagged
    where not is_known_municipality
    union all
    select
        'duplicate municipality' as issue_kind,
        answer_location || ': ' || n_answers_same_cell
        || ' answers for the same edition, question and municipality' as message
    from flagged
    where n_answers_same_cell is not null
    union all
    select
        'municipality missing from edition' as issue_kind,
        'answers ' || coalesce(source_relations, '?') || ', edition ''' || edition_id
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
        analysis_fiscal_year,
        source_file,
        source_row,
        source_column,
        municipality_code,
        question_id,
        raw_value,
        item_code,
        survey_program,
        answer_status,
        value_numeric
    from normalised
    where {{ raise_on_issues('issues', 'int_survey_answers_validated') }}
)

select * from final
