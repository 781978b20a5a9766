-- The shape of every answer file, checked: its header line, rows after the header, numeric and
-- unique seed_row, numeric source_row and source_column, one file per name, and every file under
-- data/answers/ read (a .CSV, an empty file or a file two folders down is named). One row per
-- problem (issue_kind, message); int_survey_answers_unioned stops the build on any
-- (raise_on_issues). The checks aggregate per file; rows are looked at one by one only in files
-- whose counts show a problem. Ephemeral: it runs inside the query that stores the answers.
{{ config(materialized='ephemeral') }}

{%- set answer_columns = ['seed_row', 'edition_id', 'source_file', 'source_row', 'source_column',
    'municipality_code', 'municipality_name', 'question_group', 'question_id', 'raw_value'] %}
{#- a source_row or source_column whose text is not a whole number -#}
{%- set bad_location = '(source_row is null and source_row_text is not null)'
    ~ ' or (source_column is null and source_column_text is not null)' %}

with

file_lines as not materialized (
    -- read in place by both checks below: held once, by the query that reads the answers
    select * from {{ ref('stg_survey__answers') }}
),

files_under_answers as (
    select * from {{ ref('stg_survey__answer_file_paths') }}
),

file_summary as (
    -- every per-file check in one aggregation (the lines are read once: no per-line CTE is
    -- shared between this and problem_rows, which DuckDB would hold as a second copy)
    select
        file_path,
        any_value(source_relation) as source_relation,
        count(*) filter (where is_header) as n_header_lines,
        count(*) filter (where not is_header) as n_answer_rows,
        count(*) filter (where not is_header and seed_row is null) as n_bad_seed_rows,
        count(*) filter (where not is_header and ({{ bad_location }})) as n_bad_locations,
        count(seed_row) - count(distinct seed_row) as n_repeated_seed_rows
    from file_lines
    group by file_path
),

problem_rows as (
    select
        file_lines.*,
        {{ bad_location }} as has_bad_location
    from file_lines
    semi join file_summary
        on
            file_lines.file_path = file_summary.file_path
            and (
                file_summary.n_bad_seed_rows > 0
                or file_summary.n_bad_locations > 0
                or file_summary.n_repeated_seed_rows > 0
            )
    where not file_lines.is_header
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

final as (
    select
        issue_kind,
        message
    from issues
)

select * from final
