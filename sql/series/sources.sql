-- sources: who publishes one series, and whose value the warehouse shows (precedence), at $as_of.
--
-- One row per source with a vintage of the series by $as_of, most trusted first: its name and
-- precedence (table source: the lowest number wins when sources give the same period), the
-- periods it covers, its first and last period, its vintages, and `shown`: the periods whose
-- value `v_latest` / `as_of` takes from it.
--
-- parameter  type  default  example                             meaning
-- series     text  -        IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX  the series_key
--
-- example: chiso series show IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX
with known as (
    select * from v_vintages where series_key = $series and valid_from <= $as_of::timestamp
), shown as (
    select source, count(*) as shown from as_of($as_of) where series_key = $series group by source
)
select
    k.source, s.name, s.precedence,
    count(distinct (k.period_type, k.period_start, k.period_end)) as periods,
    min(k.period_end) as first_period_end, max(k.period_end) as last_period_end,
    count(*) as vintages, coalesce(any_value(sh.shown), 0) as shown
from known k
join source s using (source)
left join shown sh using (source)
group by k.source, s.name, s.precedence
order by s.precedence, k.source;
