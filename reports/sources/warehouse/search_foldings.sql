-- The character foldings dim_municipalities.search_key was made with (seed cfg_search_foldings):
-- the search page folds what a reader types with the same rows.
select from_text, to_text from config.cfg_search_foldings
