-- 本文中の数値、オンライン化率（合算） (family online_pooled): per body, the pooled online rate of
-- procedures ((1)+(2) online over (1)+(2) existing, percent); per year, the highest pooled rate,
-- the bodies at 0, and the bodies at the highest rate (compared at one decimal, as published).
with

body_flags as (
    select * from {{ ref('int_claim_body_flags') }}
),

body_pooled_online as (
    select
        fiscal_year,
        municipality_code,
        {{ rate_pct_of_counts('n_procedures_online', 'n_procedures_existing') }} as pooled_online_rate_pct,
        procedures_sample,
        procedures_all_sample
    from body_flags
),

pooled_max as (
    select
        fiscal_year,
        max(pooled_online_rate_pct) as max_rate_pct
    from body_pooled_online
    group by 1
),

pooled_online_rows as (
    select
        pooled.measure_id,
        (body_pooled_online.fiscal_year)::varchar as fiscal_year_label,
        '' as subject,
        case pooled.measure_id
            when 'max_pooled_online_rate_pct' then max(body_pooled_online.pooled_online_rate_pct)
            when 'n_bodies_pooled_online_rate_zero'
                then count(*) filter (where body_pooled_online.pooled_online_rate_pct = 0)
            else count(*) filter (
                where round(body_pooled_online.pooled_online_rate_pct, 1) = round(pooled_max.max_rate_pct, 1)
            )
        end::double as value_num,
        {{ input_basis_of_sample_flags(
            'body_pooled_online.procedures_all_sample', 'body_pooled_online.procedures_sample'
        ) }} as input_basis
    from body_pooled_online
    inner join pooled_max
        on body_pooled_online.fiscal_year = pooled_max.fiscal_year
    cross join (
        values
        ('max_pooled_online_rate_pct'),
        ('n_bodies_pooled_online_rate_zero'),
        ('n_bodies_at_max_pooled_online_rate')
    ) as pooled (measure_id)
    group by 1, 2, 3
),

final as (
    select
        'online_pooled' as measure_family,
        measure_id,
        fiscal_year_label,
        subject,
        value_num,
        null::varchar as value_text,
        null::double as value_aux,
        input_basis
    from pooled_online_rows
)

select * from final
