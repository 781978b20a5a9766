-- Nothing is lost: raw answers = fact rows traced to a raw answer + quarantined rows,
-- and no raw answer is both in the fact table and in quarantine.
with

raw_answers as (
    select count(*) as n from {{ ref('stg_survey__answers') }}
),

fact_rows as (
    select count(*) as n from {{ ref('fct_survey_answers') }}
    where raw_answer_id is not null
),

quarantined as (
    select count(*) as n from {{ ref('fct_survey_answer_quarantine') }}
),

overlap as (
    select count(*) as n
    from {{ ref('fct_survey_answers') }} as facts
    inner join {{ ref('fct_survey_answer_quarantine') }} as quarantine
        on facts.raw_answer_id = quarantine.raw_answer_id
)

select
    raw_answers.n as raw_answers,
    fact_rows.n as fact_rows,
    quarantined.n as quarantined_rows,
    overlap.n as in_both
from raw_answers, fact_rows, quarantined, overlap
where raw_answers.n != fact_rows.n + quarantined.n or overlap.n > 0
