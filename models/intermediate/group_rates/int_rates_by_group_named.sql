-- The size-class and prefecture rows of int_rates_by_group_labelled with the group's name and
-- sort order (size class: cfg_size_classes; prefecture: dim_prefectures, in code order), so the
-- figure marts by size class (図3・7・11・14) and by prefecture (図5・9・13・15) filter one table.
with

rates as (
    select * from {{ ref('int_rates_by_group_labelled') }}
    where group_type in ('size_class', 'prefecture')
),

size_classes as (
    select * from {{ ref('cfg_size_classes') }}
),

prefectures as (
    select * from {{ ref('dim_prefectures') }}
),

named as (
    select
        rates.*,
        case
            when rates.group_type = 'size_class' then size_classes.size_class_ja
            else prefectures.prefecture_name
        end as group_name_ja,
        case
            when rates.group_type = 'size_class' then size_classes.sort_order
            else cast(prefectures.prefecture_code as integer)
        end as group_sort_order
    from rates
    left join size_classes
        on
            rates.group_type = 'size_class'
            and rates.group_code = size_classes.size_class
    left join prefectures
        on
            rates.group_type = 'prefecture'
            and rates.group_code = prefectures.prefecture_code
),

final as (
    -- a group with no name is not a size class or prefecture of the reference tables (as an
    -- inner join to them would drop it)
    select * from named
    where group_name_ja is not null
)

select * from final
