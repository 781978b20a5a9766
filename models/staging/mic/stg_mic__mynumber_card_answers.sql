-- The card-issuance rows in the raw answer shape: one answer per (row, column) for the three
-- columns the warehouse uses. seed_row is renumbered so every answer keeps a unique id;
-- source_row / source_column still point at the official file's line and column.
with

issuance as (
    select * from {{ ref('stg_mic__mynumber_card_issuance') }}
),

unpivoted as (
    select
        issuance.edition_id,
        issuance.source_file,
        issuance.source_row,
        issuance.seed_row,
        issuance.municipality_code,
        issuance.municipality_name_raw as municipality_name,
        answer.question_id,
        answer.source_column,
        answer.raw_value
    from issuance
    cross join lateral (
        values
        ('総数（人口）', 4, cast(issuance.population as varchar)),
        ('交付枚数', 5, cast(issuance.cards_issued as varchar)),
        ('人口に対する交付枚数率', 6, cast(issuance.issuance_rate_pct as varchar))
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
