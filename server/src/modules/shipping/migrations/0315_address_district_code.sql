-- An address's district by its national division code (GB/T 2260, six digits): the code names the
-- province (first two digits) and city (first four) too, and the server checks the names against it.
-- Addresses saved before codes existed keep a null code and their typed names.
alter table addresses add column district_code text check (district_code ~ '^[0-9]{6}$');
