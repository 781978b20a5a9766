-- 都道府県のページ（サイト用）: everything the prefecture page (reports/pages/prefectures/
-- [prefecture_code].md) shows, one row per prefecture, so the page runs one query that reads one row:
-- the prefecture's facts its heading and facts line show (one column each), and the rows of its
-- tables and its map as JSON text, each an object keyed by fiscal year ("2023": [...]) whose value is
-- the array of rows in the page's order (municipality code), each row an array of the values the page
-- shows in the page's column order (the page names and types them, PARTS in the page):
--   bodies      the scores tables: municipality name, size class, the deviation scores overall and
--               per domain (the six of cfg_domains in the overall score or the report's figures, in
--               the tables' column order), overall rank in the prefecture and in the size class, link
--   map_bodies  the map: municipality code, name, overall deviation score, link
-- One row per prefecture (not four queries over the site's source of all scores) because Evidence's
-- build runs every page query over a source's whole Parquet file and writes each result to its cache.
with

prefectures as (
    select * from {{ ref('dim_prefectures') }}
),

ranks as (
    select * from {{ ref('rpt_municipality_ranks') }}
),

-- one row per body and year: a row of the page's scores tables, and an area of the map when the body
-- has an overall score row that year
bodies as (
    select
        prefecture_code,
        fiscal_year,
        municipality_code,
        municipality_name,
        size_class_ja,
        max(deviation_score) filter (where domain = 'overall_excl_mynumber') as overall_score,
        max(deviation_score) filter (where domain = 'dx_governance') as dx_governance_score,
        max(deviation_score) filter (where domain = 'service_advancement') as service_advancement_score,
        max(deviation_score) filter (where domain = 'service_improvement') as service_improvement_score,
        max(deviation_score) filter (where domain = 'online_high_volume') as online_high_volume_score,
        max(deviation_score) filter (where domain = 'online_life_events') as online_life_events_score,
        max(deviation_score) filter (where domain = 'mynumber_card') as mynumber_card_score,
        max(rank_in_prefecture) filter (where domain = 'overall_excl_mynumber') as rank_in_prefecture,
        max(rank_in_class) filter (where domain = 'overall_excl_mynumber') as rank_in_class,
        count(*) filter (where domain = 'overall_excl_mynumber') > 0 as is_on_map,
        '/municipalities/' || municipality_code as href
    from ranks
    group by prefecture_code, fiscal_year, municipality_code, municipality_name, size_class_ja
),

-- per prefecture and year: the tables' rows and the map's areas, each a JSON array in the page's order
-- (no map areas that year: null, and no key for that year below)
by_year as (
    select
        prefecture_code,
        fiscal_year,
        to_json(list(json_array(
            municipality_name, size_class_ja, overall_score, dx_governance_score, service_advancement_score,
            service_improvement_score, online_high_volume_score, online_life_events_score, mynumber_card_score,
            rank_in_prefecture, rank_in_class, href
        ) order by municipality_code)) as bodies,
        to_json(list(json_array(
            municipality_code, municipality_name, overall_score, href
        ) order by municipality_code) filter (where is_on_map)) as map_bodies
    from bodies
    group by prefecture_code, fiscal_year
),

-- per prefecture: each of the two as one object keyed by fiscal year, the latest year first
by_prefecture as (
    select
        prefecture_code,
        to_json(map_from_entries(list(
            struct_pack(k := cast(fiscal_year as varchar), v := bodies) order by fiscal_year desc
        ))) as bodies,
        to_json(map_from_entries(list(
            struct_pack(k := cast(fiscal_year as varchar), v := map_bodies) order by fiscal_year desc
        ) filter (where map_bodies is not null))) as map_bodies
    from by_year
    group by prefecture_code
),

final as (
    select
        prefectures.prefecture_code,
        prefectures.prefecture_name,
        prefectures.region_name_ja,
        prefectures.n_municipalities,
        prefectures.n_towns_and_villages,
        prefectures.population,
        coalesce(cast(by_prefecture.bodies as varchar), '{}') as bodies,
        coalesce(cast(by_prefecture.map_bodies as varchar), '{}') as map_bodies
    from prefectures
    left join by_prefecture
        on prefectures.prefecture_code = by_prefecture.prefecture_code
)

select * from final
