-- Every raw survey answer, from every file matching vars.answer_files (DuckDB read_csv) and every
-- relation in vars.answer_relations, in one shape. Materialised as a table so the warehouse does not
-- depend on the files after the build. Marks stay raw until int_survey_answers_validated.
{{ config(materialized='table') }}

with

unioned as (
    {{ union_answer_relations() }}
),

final as (
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
    from unioned
)

select * from final
