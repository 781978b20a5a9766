-- Every file a person may have put under data/answers/, at any depth (DuckDB's glob), except
-- the folder's documentation and dot files: the list the file-shape checks
-- (int_survey_answer_issues__files) compare with the files the answer source reads. Ephemeral,
-- like stg_survey__answers: a view would list files relative to wherever it is queried from.
{{ config(materialized='ephemeral') }}

with

listed_files as (
    select file as file_path
    from glob('data/answers/**')
),

final as (
    select file_path
    from listed_files
    where not regexp_matches(file_path, '(^|/)(README\.md|\.[^/]*)$')
)

select * from final
