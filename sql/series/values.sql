-- values: one series at $as_of, a row per period: the value `as_of` gives (the most trusted source's).
--
-- What `warehouse.series(key, as_of)` returns: for each period the value current at $as_of
-- from the source with the lowest precedence that had published it, oldest period first (a
-- month before the quarter or year ending the same day).
--
-- parameter  type  default  example                          meaning
-- series     text  -        IIP.VN._T._Z._Z.INDEX_YOY.INDEX  the series_key
--
-- example: python -c "from warehouse import series; print(series('IIP.VN._T._Z._Z.INDEX_YOY.INDEX'))"
select period_type, period_start, period_end, value, status, source, release_id, published_at,
       provenance
from as_of($as_of)
where series_key = $series
order by period_end,
         case period_type when 'M' then 0 when 'Q' then 1 when 'H' then 2 when 'YTD' then 3
                          when 'A' then 4 else 5 end;
