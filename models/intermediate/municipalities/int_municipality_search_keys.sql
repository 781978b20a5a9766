-- Search keys per municipality: name, kana, prefecture and code, folded character by character
-- with cfg_search_foldings (katakana to hiragana, ヶ/ケ, old and new kanji forms, full-width
-- space), so a search page folds its input with the same seed and compares substrings.
with

municipalities as (
    select * from {{ ref('stg_mic__municipalities') }}
),

prefectures as (
    select * from {{ ref('stg_localgovjp__prefectures') }}
),

foldings as (
    select * from {{ ref('cfg_search_foldings') }}
),

texts as (
    select
        municipalities.municipality_code,
        'name' as key_kind,
        municipalities.municipality_name as raw_text
    from municipalities
    union all
    select
        municipalities.municipality_code,
        'key' as key_kind,
        concat_ws(
            ' ',
            municipalities.municipality_name,
            municipalities.municipality_kana,
            municipalities.prefecture_name,
            prefectures.prefecture_kana,
            municipalities.municipality_code
        ) as raw_text
    from municipalities
    left join prefectures
        on municipalities.prefecture_code = prefectures.prefecture_code
),

characters as (
    select
        municipality_code,
        key_kind,
        unnest(range(1, length(raw_text) + 1)) as char_position,
        raw_text
    from texts
),

folded_characters as (
    select
        characters.municipality_code,
        characters.key_kind,
        characters.char_position,
        coalesce(foldings.to_text, substr(characters.raw_text, characters.char_position, 1)) as folded
    from characters
    left join foldings
        on substr(characters.raw_text, characters.char_position, 1) = foldings.from_text
),

folded as (
    select
        municipality_code,
        key_kind,
        string_agg(folded, '' order by char_position) as folded_text
    from folded_characters
    group by 1, 2
),

final as (
    select
        municipality_code,
        max(folded_text) filter (where key_kind = 'name') as search_name,
        max(folded_text) filter (where key_kind = 'key') as search_key
    from folded
    group by 1
)

select * from final
