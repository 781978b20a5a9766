-- 本文中の数値、都道府県別の実施率: the prefecture rows of int_claim_rates with the prefecture's
-- name and the year as a label. Read by the prefecture-extremes and prefecture-ranks families.
with

rates as (
    select * from {{ ref('int_claim_rates') }}
    where group_type = 'prefecture'
),

prefectures as (
    select * from {{ ref('dim_prefectures') }}
),

final as (
    select
        rates.fiscal_year,
        (rates.fiscal_year)::varchar as fiscal_year_label,
        rates.rate_key,
        rates.group_code as prefecture_code,
        prefectures.prefecture_name,
        rates.rate_pct,
        rates.input_basis,
        rates.n_official_inputs,
        rates.n_sample_inputs,
        rates.n_missing_inputs,
        rates.n_proxy_inputs
    from rates
    inner join prefectures
        on rates.group_code = prefectures.prefecture_code
)

select * from final
