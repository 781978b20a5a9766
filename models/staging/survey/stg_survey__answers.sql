-- Every raw survey answer, from every relation listed in vars.answer_relations, in one shape.
-- Nothing is typed into meaning here: marks stay raw until int_survey_answers_validated.
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
