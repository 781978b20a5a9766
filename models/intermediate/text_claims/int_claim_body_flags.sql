-- 本文中の数値、団体別の組合せ: per body and year, the flags the joint counts need (cross-department
-- structure, dedicated DX unit, master plan, website evaluation) and the pooled online procedures
-- ((1)+(2) online, (1)+(2) existing), with whether their inputs are sample data. Read by the
-- joint-count and pooled-online families.
with

facts as (
    select * from {{ ref('fct_survey_answers') }}
    where
        item_code in (
            'cross_department_structure', 'dedicated_dx_unit', 'dx_master_plan', 'website_evaluated',
            'procedures_high_volume_online', 'procedures_life_events_online',
            'procedures_high_volume_existing', 'procedures_life_events_existing'
        )
),

final as (
    select
        fiscal_year,
        municipality_code,
        bool_or(is_in_place) filter (where item_code = 'cross_department_structure') as has_cross_department,
        bool_or(is_in_place) filter (where item_code = 'dedicated_dx_unit') as has_dedicated_unit,
        bool_or(is_in_place) filter (where item_code = 'dx_master_plan') as has_master_plan,
        bool_or(is_in_place) filter (where item_code = 'website_evaluated') as has_website_evaluation,
        sum(value_numeric) filter (
            where item_code in ('procedures_high_volume_online', 'procedures_life_events_online')
        ) as n_procedures_online,
        sum(value_numeric) filter (
            where item_code in ('procedures_high_volume_existing', 'procedures_life_events_existing')
        ) as n_procedures_existing,
        bool_or(is_sample) filter (
            where item_code in (
                'cross_department_structure', 'dedicated_dx_unit', 'dx_master_plan', 'website_evaluated'
            )
        ) as flags_sample,
        bool_and(is_sample) filter (
            where item_code in (
                'cross_department_structure', 'dedicated_dx_unit', 'dx_master_plan', 'website_evaluated'
            )
        ) as flags_all_sample,
        bool_or(is_sample) filter (where item_code like 'procedures_%') as procedures_sample,
        bool_and(is_sample) filter (where item_code like 'procedures_%') as procedures_all_sample
    from facts
    group by 1, 2
)

select * from final
