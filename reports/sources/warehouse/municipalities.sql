-- dim_municipalities for the search (index and /municipalities: the folded search key, label, kana,
-- size class) and the list of all bodies (/municipalities: name, prefecture, population): only the
-- columns those pages read (the municipality page reads its body from rpt_municipality_page, through
-- its prefecture's source municipality_page_<code>).
select
    municipality_code,
    municipality_name,
    municipality_kana,
    municipality_label,
    prefecture_name,
    size_class_ja,
    population,
    search_key
from dim_municipalities
order by municipality_code
