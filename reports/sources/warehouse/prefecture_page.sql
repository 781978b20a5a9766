-- The prefecture page (pages/prefectures/[prefecture_code].md): rpt_prefecture_page, one row per
-- prefecture (its facts, and its scores tables' and map's rows as JSON text), read by the page's one query.
select
    prefecture_code,
    prefecture_name,
    region_name_ja,
    n_municipalities,
    n_towns_and_villages,
    population,
    bodies,
    map_bodies
from rpt_prefecture_page
order by prefecture_code
