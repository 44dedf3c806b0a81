-- vintages: every vintage of some series at $as_of, with their names: what `chiso export --series` writes.
--
-- For each series of `series` (keys separated by commas) and each period, every value each
-- source published by $as_of, oldest first: `vintage` counts them per source and period,
-- `revision` is the change from the source's previous value, `valid_to` when the source
-- replaced it (empty while it was still current at $as_of). `last` keeps only the latest
-- periods of each series (as `points.sql` picks them); 0 keeps all.
--
-- parameter    type  default  example                          meaning
-- series       text  -        IIP.VN._T._Z._Z.INDEX_YOY.INDEX  series_keys, separated by commas
-- period_type  text  ''       M                                only this period type; '' for all
-- last         int   0        24                               only the latest periods of each series; 0 for all
--
-- example: chiso export --series IIP.VN._T._Z._Z.INDEX_YOY.INDEX --format csv --output /tmp
with wanted as (
    select trim(unnest(string_split($series, ','))) as series_key
), periods as (
    select series_key, period_type, period_start, period_end,
        row_number() over (
            partition by series_key
            order by period_end desc,
                     case period_type when 'M' then 0 when 'Q' then 1 when 'H' then 2
                                      when 'YTD' then 3 when 'A' then 4 else 5 end
        ) as recency
    from as_of($as_of)
    where series_key in (select series_key from wanted)
      and ($period_type = '' or period_type = $period_type)
), chained as (
    select v.*,
        row_number() over w as vintage,
        lag(v.value) over w as previous_value
    from v_vintages v
    join periods p using (series_key, period_type, period_start, period_end)
    where v.valid_from <= $as_of::timestamp
      -- a release withdrawn by then counts no more (sql/views/v_withdrawn.sql)
      and v.release_id not in (
          select release_id from v_withdrawn where withdrawn_at <= $as_of::timestamp)
      and ($last = 0 or p.recency <= $last)
    window w as (partition by v.series_key, v.period_type, v.period_start, v.period_end, v.source
                 order by v.valid_from)
)
select
    c.series_key, c.indicator, i.name_vi as indicator_vi, i.name_en as indicator_en,
    c.geo, g.name_vi as geo_vi, nullif(g.name_en, '') as geo_en,
    c.industry, d.name_vi as industry_vi, d.name_en as industry_en,
    c.product, p.name_vi as product_vi, p.name_en as product_en, c.partner, c.measure, c.unit,
    c.period_type, c.period_start, c.period_end, c.source, c.vintage, c.value,
    c.value - c.previous_value as revision, c.status, c.published_at, c.valid_from,
    case when c.valid_to <= $as_of::timestamp then c.valid_to end as valid_to,
    c.release_id, c.provenance
from chained c
left join label i on i.dimension = 'indicator' and i.code = c.indicator
left join label g on g.dimension = 'geo' and g.code = c.geo
left join label d on d.dimension = 'industry' and d.code = c.industry
left join label p on p.dimension = 'product' and p.code = c.product
                  and p.scope in (regexp_replace(c.indicator, '_QTY$', ''), '')
order by c.series_key, c.period_end,
         case c.period_type when 'M' then 0 when 'Q' then 1 when 'H' then 2 when 'YTD' then 3
                            when 'A' then 4 else 5 end,
         c.source, c.vintage;
