-- How many answer cells per year are official, generated sample, or missing (fct_survey_answers).
select
    cast(fiscal_year as varchar) as fiscal_year,
    count(*) as n_cells,
    count(*) filter (where is_answered and not is_sample) as n_official,
    count(*) filter (where is_sample) as n_sample,
    count(*) filter (where not is_answered) as n_missing
from fct_survey_answers
group by fiscal_year
order by fiscal_year
