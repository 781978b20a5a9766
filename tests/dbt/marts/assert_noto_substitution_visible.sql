-- Exactly the bodies in cfg_substitutions are substituted, and for them every 2023 item of the
-- substituted survey takes the substitute edition (edition_year 2022), never the year's own.
with

facts as (
    select * from {{ ref('fct_survey_answers') }}
),

substitutions as (
    select * from {{ ref('cfg_substitutions') }}
),

editions as (
    select * from {{ ref('cfg_editions') }}
)

select
    facts.municipality_code,
    facts.fiscal_year,
    facts.item_code,
    facts.is_substituted,
    facts.official_edition_id,
    facts.edition_year
from facts
left join substitutions
    on
        facts.municipality_code = substitutions.municipality_code
        and facts.fiscal_year = substitutions.analysis_fiscal_year
        and facts.survey_program = substitutions.survey_program
left join editions
    on substitutions.substitute_edition_id = editions.edition_id
where
    facts.is_substituted != (substitutions.municipality_code is not null)
    or (
        facts.is_substituted
        and (
            facts.official_edition_id != substitutions.substitute_edition_id
            or facts.edition_year != editions.edition_year
        )
    )
