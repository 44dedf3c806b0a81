-- card: one series at $as_of: its codes, names in Vietnamese and English, first release, latest value, revisions.
--
-- One row. The names come from flows/reference (the `label` table), as `chiso series search`
-- shows them. `latest_*`: the most recent period in the warehouse at $as_of (a month before
-- the quarter or year ending the same day), from the most trusted source that has it, as
-- `v_latest` / `as_of` choose. `first_*`: the series' first publication. `revisions`: the
-- vintages, of every source, that changed a value the same source had published (a change of
-- status alone is no revision). `period_types`: the kinds of period it has (M, Q, YTD, ...).
--
-- parameter  type  default  example                          meaning
-- series     text  -        IIP.VN._T._Z._Z.INDEX_YOY.INDEX  the series_key
--
-- example: chiso series show IIP.VN._T._Z._Z.INDEX_YOY.INDEX
with known as (
    select *,
        lag(value) over (partition by period_type, period_start, period_end, source
                         order by valid_from) as previous_value
    from v_vintages
    where series_key = $series and valid_from <= $as_of::timestamp
      -- a release withdrawn by then counts no more (sql/views/v_withdrawn.sql)
      and release_id not in (
          select release_id from v_withdrawn where withdrawn_at <= $as_of::timestamp)
), latest as (
    select *
    from as_of($as_of)
    where series_key = $series
    order by period_end desc,
             case period_type when 'M' then 0 when 'Q' then 1 when 'H' then 2 when 'YTD' then 3
                              when 'A' then 4 else 5 end
    limit 1
), first as (
    select * from known order by valid_from, period_end, period_type limit 1
), counts as (
    select count(*) as vintages,
           count(*) filter (where previous_value is not null and value <> previous_value)
               as revisions,
           count(distinct (period_type, period_start, period_end)) as periods,
           string_agg(distinct period_type, ', ' order by period_type) as period_types
    from known
)
select
    s.series_key, s.indicator, s.geo, s.industry, s.product, s.partner, s.measure, s.unit,
    concat_ws(' · ', i.name_vi, p.name_vi,
              case when s.industry <> '_T' or s.indicator in ('IIP', 'PPI') then d.name_vi end,
              g.name_vi) as name_vi,
    concat_ws(' · ', i.name_en, coalesce(nullif(p.name_en, ''), p.name_vi),
              case when s.industry <> '_T' or s.indicator in ('IIP', 'PPI') then d.name_en end,
              coalesce(nullif(g.name_en, ''), s.geo)) as name_en,
    c.periods, c.period_types, c.vintages, c.revisions,
    l.period_type as latest_period_type, l.period_end as latest_period_end,
    l.value as latest_value, l.status as latest_status, l.source as latest_source,
    l.published_at as latest_published_at,
    f.published_at as first_published_at, f.release_id as first_release_id,
    f.period_type as first_period_type, f.period_end as first_period_end
from series s
cross join counts c
left join latest l using (series_key)
left join first f using (series_key)
left join label i on i.dimension = 'indicator' and i.code = s.indicator
left join label g on g.dimension = 'geo' and g.code = s.geo
left join label d on d.dimension = 'industry' and d.code = s.industry
left join label p on p.dimension = 'product' and p.code = s.product
                  and p.scope in (regexp_replace(s.indicator, '_QTY$', ''), '')
where s.series_key = $series;
