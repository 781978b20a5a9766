-- Every published value our warehouse computes from official inputs alone is reproduced within
-- its tolerance (cfg_scorecard_tolerances: rates 0.1 pt, tallies exact, deviation 0.5, the card
-- deviation 1.0). Values on proxies, samples or incomplete inputs are reported, not enforced here.
select *
from {{ ref('rpt_reproduction_scorecard') }}
where input_basis = 'official' and not within_tolerance
