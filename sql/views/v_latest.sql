-- The latest value of every series and period, from the most trusted source that has it:
-- the warehouse as of the end of time (the current vintage of each source, ranked).
create or replace view v_latest as
select * from as_of('infinity');
