-- Every item the warehouse holds: domain, Japanese and English names, value type, the years and
-- sources that feed it, and its comparability notes (from cfg_items and cfg_item_crosswalk).
with

items as (
    select * from {{ ref('cfg_items') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

crosswalk as (
    select * from {{ ref('cfg_item_crosswalk') }}
),

editions as (
    select * from {{ ref('cfg_editions') }}
),

sources as (
    select * from {{ ref('cfg_sources') }}
),

item_editions as (
    select
        crosswalk.item_code,
        string_agg(
            distinct cast(editions.analysis_fiscal_year as varchar),
            ';' order by cast(editions.analysis_fiscal_year as varchar)
        )
            as fiscal_years,
        string_agg(distinct sources.title_ja, '; ' order by sources.title_ja) as sources_ja,
        string_agg(distinct crosswalk.survey_program, ';' order by crosswalk.survey_program) as survey_programs,
        bool_or(crosswalk.in_domain_mean) as in_domain_mean,
        bool_or(crosswalk.in_tallies) as in_tallies,
        bool_or(crosswalk.comparability_break) as has_comparability_break,
        string_agg(distinct nullif(crosswalk.break_note, ''), '; ') as comparability_notes
    from crosswalk
    inner join editions
        on crosswalk.edition_id = editions.edition_id
    inner join sources
        on editions.source_id = sources.source_id
    where editions.analysis_fiscal_year is not null
    group by 1
),

final as (
    select
        items.item_code,
        items.domain,
        domains.domain_name_ja,
        domains.domain_name_en,
        items.item_name_ja,
        items.item_name_en,
        items.value_type,
        items.is_report_item,
        items.sort_order,
        item_editions.fiscal_years,
        item_editions.sources_ja,
        item_editions.survey_programs,
        coalesce(item_editions.in_domain_mean, false) as in_domain_mean,
        coalesce(item_editions.in_tallies, false) as in_tallies,
        coalesce(item_editions.has_comparability_break, false) as has_comparability_break,
        item_editions.comparability_notes,
        nullif(items.notes, '') as notes,
        {{ code_label_ja('value_type', 'items.value_type') }} as value_type_ja
    from items
    inner join domains
        on items.domain = domains.domain
    left join item_editions
        on items.item_code = item_editions.item_code
)

select * from final
