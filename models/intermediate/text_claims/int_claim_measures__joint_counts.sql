-- 本文中の数値、組合せの団体数 (family joint_counts): bodies counted on two answers at once — with a
-- cross-department structure and no dedicated DX unit (and their share among bodies with the
-- structure), with a master plan and no website evaluation; and for the 2023 questions asked
-- of bodies with a master plan (domain dx_plan_management; subject: item), the bodies with a
-- plan that have the item and their share among bodies with a plan.
with

body_flags as (
    select * from {{ ref('int_claim_body_flags') }}
),

facts as not materialized (
    select * from {{ ref('fct_survey_answers') }}
),

joint_count_rows as (
    select
        joint.measure_id,
        (body_flags.fiscal_year)::varchar as fiscal_year_label,
        '' as subject,
        case joint.measure_id
            when 'n_cross_department_without_dedicated_unit'
                then count(*) filter (where body_flags.has_cross_department and not body_flags.has_dedicated_unit)
            when 'cross_department_without_dedicated_unit_share_pct'
                then {{ rate_pct_of_counts(
                    'count(*) filter (where body_flags.has_cross_department and not body_flags.has_dedicated_unit)',
                    'count(*) filter (where body_flags.has_cross_department)',
                ) }}
            else count(*) filter (where body_flags.has_master_plan and not body_flags.has_website_evaluation)
        end::double as value_num,
        {{ input_basis_of_sample_flags('body_flags.flags_all_sample', 'body_flags.flags_sample') }} as input_basis
    from body_flags
    cross join (
        values
        ('n_cross_department_without_dedicated_unit'),
        ('cross_department_without_dedicated_unit_share_pct'),
        ('n_master_plan_without_website_evaluation')
    ) as joint (measure_id)
    group by 1, 2, 3
),

-- the 2023 questions asked of bodies with a master plan (roadmap, KPIs)
plan_followup_bodies as (
    select
        followup.fiscal_year,
        followup.municipality_code,
        followup.item_code,
        followup.is_in_place,
        followup.is_sample,
        plan.is_in_place as has_master_plan,
        plan.is_sample as plan_is_sample
    from facts as followup
    inner join facts as plan
        on
            followup.municipality_code = plan.municipality_code
            and followup.fiscal_year = plan.fiscal_year
            and plan.item_code = 'dx_master_plan'
    where followup.domain = 'dx_plan_management'
),

plan_followup_rows as (
    select
        followup_measures.measure_id,
        (plan_followup_bodies.fiscal_year)::varchar as fiscal_year_label,
        plan_followup_bodies.item_code as subject,
        case followup_measures.measure_id
            when 'n_master_plan_bodies_with_item'
                then count(*) filter (where plan_followup_bodies.has_master_plan and plan_followup_bodies.is_in_place)
            else
                {{ rate_pct_of_counts(
                    'count(*) filter (where plan_followup_bodies.has_master_plan '
                    ~ 'and plan_followup_bodies.is_in_place)',
                    'count(*) filter (where plan_followup_bodies.has_master_plan)',
                ) }}
        end::double as value_num,
        {{ input_basis_of_sample_flags(
            'plan_followup_bodies.is_sample and plan_followup_bodies.plan_is_sample',
            'plan_followup_bodies.is_sample or plan_followup_bodies.plan_is_sample',
        ) }} as input_basis
    from plan_followup_bodies
    cross join (
        values ('n_master_plan_bodies_with_item'), ('item_share_among_master_plan_pct')
    ) as followup_measures (measure_id)
    group by 1, 2, 3
),

unioned as (
    select * from joint_count_rows
    union all
    select * from plan_followup_rows
),

final as (
    select
        'joint_counts' as measure_family,
        measure_id,
        fiscal_year_label,
        subject,
        value_num,
        null::varchar as value_text,
        null::double as value_aux,
        input_basis
    from unioned
)

select * from final
