-- 本文中の数値: the measures behind the report's text claims (seeds/published/jri_text_claims.csv).
-- One row per (measure_id, fiscal_year_label, subject) that cfg_text_claim_measures asks for:
-- joint counts, pooled tallies and online rates, prefecture extremes and names, size-class minima,
-- and directional claims as signed differences. Every row says what it rests on (input_basis).
-- Each measure family is its own model (models/intermediate/text_claims/
-- int_claim_measures__<family>, the family named in cfg_text_claim_measures.measure_family);
-- int_claim_measures unions them and joins them to the measures asked for.
with

claim_measures as (
    select * from {{ ref('int_claim_measures') }}
),

final as (
    select
        measure_id,
        fiscal_year_label,
        subject,
        value_num,
        value_text,
        value_aux,
        input_basis
    from claim_measures
)

select * from final
