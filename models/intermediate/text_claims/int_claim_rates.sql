-- 本文中の数値、実施率: item rates and domain means per group (all, size class, prefecture) and
-- year from int_rates_by_group_labelled, keyed by a rate key: the item code, or
-- '_domain_mean:<domain>' for a domain mean. Read by the rate, rate-change and class-order
-- families and by int_claim_prefecture_rates.
with

rates_by_group as (
    select * from {{ ref('int_rates_by_group_labelled') }}
),

final as (
    select
        fiscal_year,
        case when item_code = '_domain_mean' then '_domain_mean:' || domain else item_code end as rate_key,
        domain,
        item_code,
        row_kind,
        group_type,
        group_code,
        rate_pct,
        input_basis,
        n_official_inputs,
        n_sample_inputs,
        n_missing_inputs,
        n_proxy_inputs
    from rates_by_group
)

select * from final
