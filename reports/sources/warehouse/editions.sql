select
    editions.edition_id,
    sources.title_ja as source_title_ja,
    sources.publisher_ja,
    cast(editions.edition_year as varchar) as edition_year,
    cast(editions.analysis_fiscal_year as varchar) as analysis_fiscal_year,
    strftime(editions.reference_date, '%Y-%m-%d') as reference_date,
    case when editions.is_sample then 'サンプル（生成）' else '公式' end as kind_ja,
    editions.stands_in_for,
    editions.notes
from config.cfg_editions as editions
left join config.cfg_sources as sources
    on editions.source_id = sources.source_id
order by editions.is_sample, editions.edition_id
