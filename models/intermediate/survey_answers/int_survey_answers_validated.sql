-- Every raw answer placed: its edition, item and normalised status, with every raw column of the
-- answer files (the one table that stores them: int_survey_answers_unioned is ephemeral). Any answer
-- that cannot be placed (unknown edition, unmapped question, unknown mark, unknown or duplicate
-- municipality, a percent outside 0-100) or a body missing from an edition that covers every body
-- stops the build with a message naming the file, its row and the value (macro raise_on_issues).
-- No row is dropped.
-- Cost: every check is made on small aggregates, never on a wide copy of the rows: questions are
-- placed once per (edition, question), marks matched to the vocabulary once per distinct
-- (value_type, raw_value) pair, municipality codes checked once per distinct code, and one
-- count per (edition, question) finds both duplicate answers and short coverage. Rows are looked
-- at one by one only where an aggregate shows a problem. The answers are read once into a
-- materialized CTE and scanned from memory.
with

answers as materialized (
    select
        raw_answer_id,
        source_relation,
        seed_row,
        edition_id,
        source_file,
        source_row,
        source_column,
        municipality_code,
        municipality_name,
        question_group,
        question_id,
        raw_value
    from {{ ref('int_survey_answers_unioned') }}
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

question_values as (
    -- the distinct (edition, question, raw value) triples: every placement and mark check below
    -- works on these, not on the rows
    select distinct
        edition_id,
        question_id,
        raw_value
    from answers
),

question_stats as (
    -- answers and distinct bodies per (edition, question): more answers than bodies = a
    -- duplicate; fewer bodies than the code list = a short question (when all must answer)
    select
        edition_id,
        question_id,
        count(*) as n_answers,
        count(distinct municipality_code) as n_bodies
    from answers
    group by edition_id, question_id
),

answer_codes as (
    select distinct municipality_code
    from answers
),

unknown_codes as (
    select answer_codes.municipality_code
    from answer_codes
    anti join municipalities
        on answer_codes.municipality_code = municipalities.municipality_code
),

placed_questions as (
    select
        question_stats.edition_id,
        question_stats.question_id,
        question_stats.n_answers,
        question_stats.n_bodies,
        editions.edition_id is not null as is_known_edition,
        coalesce(editions.stands_in_for, question_stats.edition_id) as target_edition_id,
        case when editions.stands_in_for is null then 0 else 1 end as edition_priority,
        editions.analysis_fiscal_year,
        editions.expected_coverage,
        crosswalk.item_code,
        crosswalk.survey_program,
        items.value_type
    from question_stats
    left join editions
        on question_stats.edition_id = editions.edition_id
    left join crosswalk
        on
            coalesce(editions.stands_in_for, question_stats.edition_id) = crosswalk.edition_id
            and question_stats.question_id = crosswalk.question_id
    left join items
        on crosswalk.item_code = items.item_code
),

value_pairs as (
    select distinct
        placed_questions.value_type,
        question_values.raw_value
    from question_values
    inner join placed_questions
        on
            question_values.edition_id is not distinct from placed_questions.edition_id
            and question_values.question_id is not distinct from placed_questions.question_id
    where placed_questions.value_type is not null
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

question_value_problems as (
    -- (edition, question, raw value) triples whose rows cannot be placed, with the reason
    select
        question_values.edition_id,
        question_values.question_id,
        question_values.raw_value,
        case
            when not placed_questions.is_known_edition then 'unknown edition'
            when placed_questions.item_code is null then 'unmapped question'
            when placed_questions.value_type is null then 'unknown item'
            when pair_statuses.answer_status is null then 'unknown answer mark'
            else 'percent out of range'
        end as issue_kind,
        placed_questions.item_code,
        placed_questions.value_type
    from question_values
    inner join placed_questions
        on
            question_values.edition_id is not distinct from placed_questions.edition_id
            and question_values.question_id is not distinct from placed_questions.question_id
    left join pair_statuses
        on
            placed_questions.value_type = pair_statuses.value_type
            and question_values.raw_value is not distinct from pair_statuses.raw_value
    where
        not placed_questions.is_known_edition
        or placed_questions.item_code is null
        or placed_questions.value_type is null
        or pair_statuses.answer_status is null
        or (placed_questions.value_type = 'percent' and pair_statuses.value_numeric > 100)
),

duplicate_cells as (
    -- looked for only in the questions whose count shows a duplicate
    select
        answers.edition_id,
        answers.question_id,
        answers.municipality_code,
        count(*) as n_answers_same_cell
    from answers
    semi join placed_questions
        on
            answers.edition_id is not distinct from placed_questions.edition_id
            and answers.question_id is not distinct from placed_questions.question_id
            and placed_questions.n_answers > placed_questions.n_bodies
    group by answers.edition_id, answers.question_id, answers.municipality_code
    having count(*) > 1
),

short_questions as (
    -- questions of editions that must cover every body (all) or the substituted bodies: only a
    -- short count (or the few substituted bodies) sends a question to the body-by-body comparison
    -- below; editions with expected_coverage = 'partial' cover the bodies they answer
    select
        edition_id,
        question_id,
        target_edition_id,
        expected_coverage
    from placed_questions
    where
        item_code is not null
        and (
            expected_coverage = 'substitutions'
            or (expected_coverage = 'all' and n_bodies < (select count(*) from municipalities))
        )
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

short_question_answers as (
    select
        answers.edition_id,
        answers.question_id,
        answers.municipality_code,
        answers.source_relation
    from answers
    semi join short_questions
        on
            answers.edition_id = short_questions.edition_id
            and answers.question_id = short_questions.question_id
),

missing_bodies as (
    select
        expected_bodies.*,
        (
            select string_agg(distinct question_answers.source_relation, ', ' order by question_answers.source_relation)
            from short_question_answers as question_answers
            where
                question_answers.edition_id = expected_bodies.edition_id
                and question_answers.question_id = expected_bodies.question_id
        ) as source_relations
    from expected_bodies
    anti join short_question_answers
        on
            expected_bodies.edition_id = short_question_answers.edition_id
            and expected_bodies.question_id = short_question_answers.question_id
            and expected_bodies.municipality_code = short_question_answers.municipality_code
),

flagged as (
    -- the few rows with a problem, with their location and reason
    select
        question_value_problems.issue_kind,
        question_value_problems.item_code,
        question_value_problems.value_type,
        null as n_answers_same_cell,
        answers.*
    from answers
    inner join question_value_problems
        on
            answers.edition_id is not distinct from question_value_problems.edition_id
            and answers.question_id is not distinct from question_value_problems.question_id
            and answers.raw_value is not distinct from question_value_problems.raw_value
    union all
    select
        'unknown municipality code' as issue_kind,
        null as item_code,
        null as value_type,
        null as n_answers_same_cell,
        answers.*
    from answers
    semi join unknown_codes
        on answers.municipality_code is not distinct from unknown_codes.municipality_code
    union all
    select
        'duplicate municipality' as issue_kind,
        null as item_code,
        null as value_type,
        duplicate_cells.n_answers_same_cell,
        answers.*
    from answers
    inner join duplicate_cells
        on
            answers.edition_id = duplicate_cells.edition_id
            and answers.question_id = duplicate_cells.question_id
            and answers.municipality_code = duplicate_cells.municipality_code
),

located as (
    select
        issue_kind,
        item_code,
        value_type,
        n_answers_same_cell,
        edition_id,
        municipality_code,
        raw_value,
        'answers ' || source_relation || ' row ' || seed_row
        || ' (file ' || coalesce(source_file, '?')
        || ' line ' || coalesce(cast(source_row as varchar), '?')
        || ' column ' || coalesce(cast(source_column as varchar), '?')
        || ', municipality ' || coalesce(municipality_code, 'null')
        || ', question ''' || coalesce(question_id, 'null') || ''')' as answer_location
    from flagged
),

issues as (
    select
        issue_kind,
        answer_location || case issue_kind
            when 'unknown edition' then ': edition_id ''' || coalesce(edition_id, 'null') || ''''
            when 'unmapped question' then ': no cfg_item_crosswalk row for edition ''' || edition_id || ''''
            when 'unknown item' then ': item_code ''' || item_code || ''' is not in cfg_items'
            when 'unknown answer mark'
                then
                    ': value ''' || coalesce(raw_value, 'null')
                    || ''' is not in cfg_answer_vocabulary for value type ' || value_type
            when 'percent out of range'
                then
                    ': column raw_value, value ''' || raw_value
                    || ''' is a percent above 100 (rates are bounded to 0-100)'
            when 'unknown municipality code' then ': value ''' || coalesce(municipality_code, 'null') || ''''
            when 'duplicate municipality'
                then ': ' || n_answers_same_cell || ' answers for the same edition, question and municipality'
        end as message
    from located
    union all
    select
        'municipality missing from edition' as issue_kind,
        'answers ' || coalesce(source_relations, '?') || ', edition ''' || edition_id
        || ''', question ''' || question_id || ''' has no answer for ' || municipality_code || ' '
        || municipality_name as message
    from missing_bodies
),

placed as (
    select
        answers.raw_answer_id,
        answers.source_relation,
        answers.seed_row,
        answers.edition_id,
        placed_questions.target_edition_id,
        placed_questions.edition_priority,
        placed_questions.analysis_fiscal_year,
        answers.source_file,
        answers.source_row,
        answers.source_column,
        answers.municipality_code,
        answers.municipality_name,
        answers.question_group,
        answers.question_id,
        answers.raw_value,
        placed_questions.item_code,
        placed_questions.survey_program,
        pair_statuses.answer_status,
        pair_statuses.value_numeric
    from answers
    inner join placed_questions
        on
            answers.edition_id is not distinct from placed_questions.edition_id
            and answers.question_id is not distinct from placed_questions.question_id
    left join pair_statuses
        on
            placed_questions.value_type = pair_statuses.value_type
            and answers.raw_value is not distinct from pair_statuses.raw_value
),

final as (
    select * from placed
    where {{ raise_on_issues('issues', 'int_survey_answers_validated') }}
)

select * from final
