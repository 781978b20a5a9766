-- 本文中の数値、実施率 (family rates): the rate of one group as the report states it — an item's
-- national rate (subject: rate key), a domain mean nationally or in a size class (subject:
-- domain|group), an item's or domain mean's rate in a prefecture (subject: rate key|prefecture).
with

rates as (
    select * from {{ ref('int_claim_rates') }}
),

item_rows as (
    select
        'item_rate_pct' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        rate_key as subject,
        rate_pct as value_num,
        input_basis
    from rates
    where group_type = 'all'
),

domain_rows as (
    select
        'domain_rate_pct' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        domain || '|' || group_code as subject,
        rate_pct as value_num,
        input_basis
    from rates
    where group_type in ('all', 'size_class') and row_kind = 'domain_mean'
),

prefecture_rows as (
    select
        'prefecture_rate_pct' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        rate_key || '|' || group_code as subject,
        rate_pct as value_num,
        input_basis
    from rates
    where group_type = 'prefecture'
),

unioned as (
    select * from item_rows
    union all
    select * from domain_rows
    union all
    select * from prefecture_rows
),

final as (
    select
        'rates' as measure_family,
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
