-- 本文中の数値、求める指標: the measures cfg_text_claim_measures asks for, one row per (measure_id,
-- fiscal_year_label, subject), with its family and the subject split into its parts ('|') and
-- each part into its list members (';'). Family models that compute only what is asked read it.
with

wanted_claims as (
    select * from {{ ref('cfg_text_claim_measures') }}
    where measure_id is not null
),

wanted as (
    select distinct
        measure_family,
        measure_id,
        coalesce(fiscal_year_label, '') as fiscal_year_label,
        coalesce(subject, '') as subject,
        split_part(coalesce(subject, ''), '|', 1) as subject_a,
        split_part(coalesce(subject, ''), '|', 2) as subject_b,
        split_part(coalesce(subject, ''), '|', 3) as subject_c
    from wanted_claims
),

final as (
    select
        measure_family,
        measure_id,
        fiscal_year_label,
        subject,
        subject_a,
        subject_b,
        subject_c,
        string_split(subject_a, ';') as list_a,
        string_split(subject_b, ';') as list_b,
        string_split(subject_c, ';') as list_c
    from wanted
)

select * from final
