-- The two staging models of the card-issuance seed agree: stg_mic__mynumber_card_answers (the
-- seed in the raw answer shape, read by the answer chain) holds exactly three answers per row of
-- stg_mic__mynumber_card_issuance (the seed typed), with the same edition, file, line, body and
-- values (population, cards issued and the rate as that model types them), matched on seed_row
-- (the seed's row x 10 + column). A row returned is an answer missing, extra or different.
with

issuance as (
    select * from {{ ref('stg_mic__mynumber_card_issuance') }}
),

card_answers as (
    select * from {{ ref('stg_mic__mynumber_card_answers') }}
),

expected as (
    select
        issuance.seed_row * 10 + expected_answer.source_column as seed_row,
        issuance.edition_id,
        issuance.source_file,
        issuance.source_row,
        issuance.municipality_code,
        issuance.municipality_name_raw as municipality_name,
        expected_answer.source_column,
        expected_answer.question_id,
        expected_answer.raw_value
    from issuance
    cross join lateral (
        values
        (4, '総数（人口）', cast(issuance.population as varchar)),
        (5, '交付枚数', cast(issuance.cards_issued as varchar)),
        (6, '人口に対する交付枚数率', cast(issuance.issuance_rate_pct as varchar))
    ) as expected_answer (source_column, question_id, raw_value)
),

compared as (
    select
        coalesce(expected.seed_row, card_answers.seed_row) as seed_row,
        coalesce(expected.edition_id, card_answers.edition_id) as edition_id,
        coalesce(expected.source_row, card_answers.source_row) as source_row,
        expected.raw_value as expected_value,
        card_answers.raw_value as answer_value,
        (
            expected.edition_id is not distinct from card_answers.edition_id
            and expected.source_row is not distinct from card_answers.source_row
            and expected.source_column is not distinct from card_answers.source_column
            and expected.municipality_code is not distinct from card_answers.municipality_code
            and expected.municipality_name is not distinct from card_answers.municipality_name
            and expected.source_file is not distinct from card_answers.source_file
            and expected.question_id is not distinct from card_answers.question_id
            and expected.raw_value is not distinct from card_answers.raw_value
            and card_answers.question_group = 'マイナンバーカード交付状況'
        ) as is_same
    from expected
    full outer join card_answers
        on expected.seed_row = card_answers.seed_row
)

select * from compared
where not coalesce(is_same, false)
