-- Every cell of the grid is a fact row: the fact table places answers through the small (year,
-- item) and substitution tables and reads the grid only where answers leave bodies unfilled, so
-- this counts both (with the key test of assert_fct_survey_answers_invariants, equal counts mean
-- the same cells). Returns a row when the counts differ.
with

facts as (
    select count(*) as n
    from {{ ref('fct_survey_answers') }}
),

cells as (
    select count(*) as n
    from {{ ref('int_survey_cells_expected') }}
)

select
    facts.n as fact_rows,
    cells.n as grid_cells
from facts, cells
where facts.n != cells.n
