-- insert_new_framed_series: the series of `incoming_series` (incoming's series, one row
-- each, as the load framed them) that `series` lacks.
insert into series
select * from incoming_series
where series_key not in (select series_key from series)
