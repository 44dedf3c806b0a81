-- Decimal places as published, so sources are compared at the precision they printed.
alter table reported add column decimals integer;
