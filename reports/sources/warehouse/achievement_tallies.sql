-- 図4・8・12 with the report's counts (rpt_reproduction_scorecard) beside ours.
with published as (
    select
        domain,
        size_class,
        fiscal_year,
        max(published_value) filter (where measure = 'all_items_achieved') as published_all_items,
        max(published_value) filter (where measure = 'no_item_achieved') as published_no_item
    from rpt_reproduction_scorecard
    where measure in ('all_items_achieved', 'no_item_achieved')
    group by 1, 2, 3
)
select
    tallies.figure,
    cast(tallies.fiscal_year as varchar) as fiscal_year,
    tallies.domain,
    tallies.domain_name_ja,
    tallies.domain_sort_order,
    tallies.size_class,
    tallies.size_class_ja,
    tallies.size_class_sort_order,
    tallies.n_bodies,
    tallies.all_items_achieved,
    published.published_all_items,
    tallies.no_item_achieved,
    published.published_no_item,
    tallies.input_basis,
    tallies.sample_share_pct as sample_share
from rpt_fig04_08_12_achievement_tallies as tallies
left join published
    on tallies.domain = published.domain
    and tallies.size_class = published.size_class
    and tallies.fiscal_year = published.fiscal_year
order by tallies.domain_sort_order, tallies.size_class_sort_order, tallies.fiscal_year
