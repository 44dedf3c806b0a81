-- insert_new_series: the series of `incoming_series` (those of `incoming`, one row each) that
-- `series` lacks.
insert into series
select * from incoming_series
where series_key not in (select series_key from series)
