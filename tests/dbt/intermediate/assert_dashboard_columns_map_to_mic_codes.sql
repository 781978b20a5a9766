-- Proof of the dashboard's position mapping: the name in every mapped column is the MIC name of
-- the code it was given, or a variant listed for that code in cfg_name_variants (梼/檮).
with

answers as (
    select * from {{ ref('int_survey_answers_validated') }}
    where source_relation = 'raw_da_dx_dashboard__fy2023'
),

municipalities as (
    select * from {{ ref('stg_mic__municipalities') }}
),

variants as (
    select * from {{ ref('cfg_name_variants') }}
    where source_id = 'da_dx_dashboard'
)

select distinct
    answers.source_column,
    answers.municipality_code,
    answers.municipality_name as name_in_file,
    municipalities.municipality_name as mic_name
from answers
left join municipalities
    on answers.municipality_code = municipalities.municipality_code
left join variants
    on
        answers.municipality_code = variants.municipality_code
        and answers.municipality_name = variants.variant_name
where
    municipalities.municipality_name is distinct from answers.municipality_name
    and variants.variant_name is null
