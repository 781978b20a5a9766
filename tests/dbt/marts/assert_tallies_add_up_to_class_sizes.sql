-- Achievement tallies add up: the size classes' bodies sum to the national count, each class
-- has as many bodies as dim_municipalities gives it, tallied bodies and the all/none counts
-- never exceed it, and the classes' all/none counts sum to the national ones.
with

tallies as (
    select * from {{ ref('rpt_fig04_08_12_achievement_tallies') }}
),

class_sizes as (
    select
        size_class,
        count(*) as n_bodies
    from {{ ref('dim_municipalities') }}
    group by 1
),

national as (
    select * from tallies
    where size_class = 'all'
),

by_class as (
    select
        fiscal_year,
        domain,
        sum(n_bodies) as n_bodies,
        sum(all_items_achieved) as all_items_achieved,
        sum(no_item_achieved) as no_item_achieved
    from tallies
    where size_class != 'all'
    group by 1, 2
)

select
    'classes do not sum to the national row' as problem,
    national.fiscal_year,
    national.domain,
    national.size_class
from national
inner join by_class
    on national.fiscal_year = by_class.fiscal_year and national.domain = by_class.domain
where
    national.n_bodies != by_class.n_bodies
    or national.all_items_achieved is distinct from by_class.all_items_achieved
    or national.no_item_achieved is distinct from by_class.no_item_achieved
union all
select
    'class size differs from dim_municipalities' as problem,
    tallies.fiscal_year,
    tallies.domain,
    tallies.size_class
from tallies
inner join class_sizes
    on tallies.size_class = class_sizes.size_class
where tallies.n_bodies != class_sizes.n_bodies
union all
select
    'more bodies tallied than exist' as problem,
    fiscal_year,
    domain,
    size_class
from tallies
where
    n_bodies_tallied > n_bodies
    or all_items_achieved + no_item_achieved > n_bodies_tallied
