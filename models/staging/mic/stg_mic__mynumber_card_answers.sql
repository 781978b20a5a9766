-- The card-issuance seed (raw_mic_mynumber_card__issuance) in the raw answer shape: one answer
-- per (row, column) for the three columns the warehouse uses, as text the way
-- stg_mic__mynumber_card_issuance types them (the rate as a double). seed_row is renumbered so
-- every answer keeps a unique id; source_row / source_column still point at the official file's
-- line and column. tests/dbt/staging/assert_card_answers_match_issuance checks the two staging
-- models of the seed agree.
with

source as (
    select * from {{ ref('raw_mic_mynumber_card__issuance') }}
),

unpivoted as (
    select
        source.edition_id,
        source.source_file,
        source.source_row,
        source.seed_row,
        source.municipality_code,
        source.municipality_name_raw as municipality_name,
        answer.question_id,
        answer.source_column,
        answer.raw_value
    from source
    cross join lateral (
        values
        ('総数（人口）', 4, cast(source.population as varchar)),
        ('交付枚数', 5, cast(source.cards_issued as varchar)),
        ('人口に対する交付枚数率', 6, cast(cast(source.issuance_rate_pct as double) as varchar))
    ) as answer (question_id, source_column, raw_value)
),

final as (
    select
        seed_row * 10 + source_column as seed_row,
        edition_id,
        source_file,
        source_row,
        source_column,
        municipality_code,
        municipality_name,
        'マイナンバーカード交付状況' as question_group,
        question_id,
        raw_value
    from unpivoted
)

select * from final
