-- Every raw survey answer in one shape: the answer files (source survey_answers.answer_files, a
-- glob over data/answers/ read with a stated CSV format) and the card-issuance answers
-- (stg_mic__mynumber_card_answers). Ephemeral: no relation in the warehouse (a view would read
-- files relative to the project and break anywhere else); its rows are stored once, by the table
-- that reads it (int_survey_answers_validated, which keeps every raw column). The shape of every
-- file is checked here: its header line, rows after the header, numeric and unique seed_row, one
-- file per name, and every file under data/answers/ read (a .CSV, an empty file or a file two
-- folders down stops the build, named). The checks aggregate per file (DuckDB decides whether
-- the rows they share with the answers are held or read again); rows are looked at one by one
-- only in files whose counts show a problem. File names are data here, never SQL text.
-- Marks stay raw until int_survey_answers_validated.
{{ config(materialized='ephemeral') }}

{%- set answer_columns = ['seed_row', 'edition_id', 'source_file', 'source_row', 'source_column',
    'municipality_code', 'municipality_name', 'question_group', 'question_id', 'raw_value'] %}

with

file_rows as (
    select * from {{ source('survey_answers', 'answer_files') }}
),

card_answers as (
    select * from {{ ref('stg_mic__mynumber_card_answers') }}
),

files_under_answers as (
    -- every file a person may have put under data/answers/ (docs and dot files excepted)
    select file as file_path
    from glob('data/answers/**')
    where not regexp_matches(file, '(^|/)(README\.md|\.[^/]*)$')
),

located_rows as (
    select
        filename as file_path,
        regexp_extract(filename, '([^/]+)\.csv$', 1) as source_relation,
        seed_row as seed_row_text,
        try_cast(seed_row as integer) as seed_row,
        edition_id,
        source_file,
        try_cast(source_row as integer) as source_row,
        try_cast(source_column as integer) as source_column,
        (try_cast(source_row as integer) is null and source_row is not null)
        or (try_cast(source_column as integer) is null and source_column is not null) as has_bad_location,
        source_row as source_row_text,
        source_column as source_column_text,
        municipality_code,
        municipality_name,
        question_group,
        question_id,
        raw_value,
        coalesce(
            seed_row = 'seed_row'
            and edition_id = 'edition_id'
            and source_file = 'source_file'
            and source_row = 'source_row'
            and source_column = 'source_column'
            and municipality_code = 'municipality_code'
            and municipality_name = 'municipality_name'
            and question_group = 'question_group'
            and question_id = 'question_id'
            and raw_value = 'raw_value',
            false
        ) as is_header
    from file_rows
),

file_summary as (
    -- every per-file check in one aggregation; rows are looked at one by one only in files
    -- where a count shows a problem
    select
        file_path,
        any_value(source_relation) as source_relation,
        count(*) filter (where is_header) as n_header_lines,
        count(*) filter (where not is_header) as n_answer_rows,
        count(*) filter (where not is_header and seed_row is null) as n_bad_seed_rows,
        count(*) filter (where not is_header and has_bad_location) as n_bad_locations,
        count(seed_row) - count(distinct seed_row) as n_repeated_seed_rows
    from located_rows
    group by file_path
),

problem_rows as (
    select located_rows.*
    from located_rows
    semi join file_summary
        on
            located_rows.file_path = file_summary.file_path
            and (
                file_summary.n_bad_seed_rows > 0
                or file_summary.n_bad_locations > 0
                or file_summary.n_repeated_seed_rows > 0
            )
    where not located_rows.is_header
),

issues as (
    select
        'answer file not read' as issue_kind,
        'file ''' || files_under_answers.file_path || ''' is under data/answers/ but is not read: answer files are'
        || ' *.csv (lower case) directly in data/answers/ or one folder down, with a header line and rows' as message
    from files_under_answers
    left join file_summary
        on files_under_answers.file_path = file_summary.file_path
    where file_summary.file_path is null
    union all
    select
        'not the raw answer shape' as issue_kind,
        'answers file ''' || file_path || ''' does not have the raw answer shape: its header line is not '
        || '''{{ answer_columns | join(",") }}''' as message
    from file_summary
    where n_header_lines != 1
    union all
    select
        'header only' as issue_kind,
        'answers file ''' || file_path || ''' has a header line and no answer rows' as message
    from file_summary
    where n_header_lines = 1 and n_answer_rows = 0
    union all
    select
        'answer file name found twice' as issue_kind,
        'answer file name ''' || source_relation || '.csv'' is found twice: '
        || string_agg(file_path, ', ' order by file_path) as message
    from file_summary
    group by source_relation
    having count(*) > 1
    union all
    select
        'non-numeric seed_row' as issue_kind,
        'answers file ''' || located_rows.file_path || ''' seed_row '''
        || coalesce(located_rows.seed_row_text, 'null')
        || ''' (line with source_row ' || coalesce(located_rows.source_row_text, 'null') || ', municipality '
        || coalesce(located_rows.municipality_code, 'null') || ') is not a whole number'
        || case
            when file_summary.n_header_lines != 1
                then ': the line reads ''' || concat_ws(
                    ',',
                    located_rows.seed_row_text,
                    located_rows.edition_id,
                    located_rows.source_file,
                    located_rows.source_row_text,
                    located_rows.source_column_text,
                    located_rows.municipality_code,
                    located_rows.municipality_name,
                    located_rows.question_group,
                    located_rows.question_id,
                    located_rows.raw_value
                ) || ''''
            else ''
        end as message
    from problem_rows as located_rows
    inner join file_summary
        on located_rows.file_path = file_summary.file_path
    where located_rows.seed_row is null
    union all
    select
        'non-numeric source_row or source_column' as issue_kind,
        'answers file ''' || file_path || ''' row ' || seed_row || ': source_row '''
        || coalesce(source_row_text, 'null') || ''', source_column ''' || coalesce(source_column_text, 'null')
        || ''' must be whole numbers' as message
    from problem_rows
    where seed_row is not null and has_bad_location
    union all
    select
        'duplicate seed_row' as issue_kind,
        'answers file ''' || file_path || ''' row ' || seed_row || ': seed_row ' || seed_row
        || ' appears ' || count(*) || ' times' as message
    from problem_rows
    where seed_row is not null
    group by file_path, seed_row
    having count(*) > 1
),

file_answers as (
    select
        source_relation || ':' || seed_row as raw_answer_id,
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
    from located_rows
    where not is_header
),

relation_answers as (
    select
        'stg_mic__mynumber_card_answers:' || cast(seed_row as varchar) as raw_answer_id,
        'stg_mic__mynumber_card_answers' as source_relation,
        cast(seed_row as integer) as seed_row,
        cast(edition_id as varchar) as edition_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row,
        cast(source_column as integer) as source_column,
        cast(municipality_code as varchar) as municipality_code,
        cast(municipality_name as varchar) as municipality_name,
        cast(question_group as varchar) as question_group,
        cast(question_id as varchar) as question_id,
        cast(raw_value as varchar) as raw_value
    from card_answers
),

final as (
    select * from file_answers
    where {{ raise_on_issues('issues', 'stg_survey__answers') }}
    union all
    select * from relation_answers
)

select * from final
