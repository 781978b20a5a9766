-- Every published value our warehouse computes from official inputs alone is reproduced within
-- its rule: figure tables within cfg_scorecard_tolerances (rates 0.1 pt, tallies exact, deviation
-- 0.5, the card deviation 1.0), text claims within their MATCH or CLOSE band. The only exceptions
-- are claims with a known_difference (cfg_text_claim_measures): claims the official data cannot
-- meet, each explained with its numbers in docs/calibration.md. Values on proxies, samples or
-- incomplete inputs are reported, not enforced here.
select *
from {{ ref('rpt_reproduction_scorecard') }}
where input_basis = 'official' and not within_tolerance and known_difference is null
