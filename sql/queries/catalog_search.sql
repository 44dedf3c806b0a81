-- catalog_search: find series by name or code, in Vietnamese or English, with or without accents.
--
-- Every series whose key, codes or names (indicator, place, industry, product: the names and
-- aliases of flows/reference, in both languages) contain every word of `text`, compared
-- without case or diacritics ("xuat khau dien thoai" finds "Xuất khẩu" of "Điện thoại"), with
-- its names, how many periods it covers at $as_of, its first and last period and sources.
--
-- parameter  type  default  example             meaning
-- text       text  -        điện thoại          words that must all appear (any order, accents optional)
-- limit      int   50       10                  at most this many series
--
-- example: chiso query catalog_search --param "text=xuat khau dien thoai"
with words as (
    select list_filter(
        string_split(lower(strip_accents(replace(replace($text, 'đ', 'd'), 'Đ', 'D'))), ' '),
        lambda w: w <> '') as words
), named as (
    select
        s.*,
        i.name_vi as indicator_vi, i.name_en as indicator_en,
        g.name_vi as geo_vi,
        -- `_T` is the whole industry for the IIP, every activity for GRDP: named for the IIP only
        case when s.industry <> '_T' or s.indicator = 'IIP' then d.name_vi end as industry_vi,
        case when s.industry <> '_T' or s.indicator = 'IIP' then d.name_en end as industry_en,
        p.name_vi as product_vi, p.name_en as product_en,
        concat_ws(' ', s.series_key, s.indicator, s.geo, s.industry, s.product, s.partner,
                  s.measure, s.unit, i.aliases, g.aliases, d.aliases, p.aliases) as haystack
    from series s
    left join label i on i.dimension = 'indicator' and i.code = s.indicator
    left join label g on g.dimension = 'geo' and g.code = s.geo
    left join label d on d.dimension = 'industry' and d.code = s.industry
    left join label p on p.dimension = 'product' and p.code = s.product
                      and p.scope = regexp_replace(s.indicator, '_QTY$', '')
), matched as (
    select n.*
    from named n, words w
    where len(w.words) > 0
      and len(list_filter(w.words, lambda x: not contains(
          lower(strip_accents(replace(replace(n.haystack, 'đ', 'd'), 'Đ', 'D'))), x))) = 0
), coverage as (
    select series_key, count(distinct (period_type, period_end)) as periods,
           min(period_end) as first_period_end, max(period_end) as last_period_end,
           string_agg(distinct source, ', ' order by source) as sources
    from v_vintages
    where valid_from <= $as_of::timestamp
      and series_key in (select series_key from matched)
    group by series_key
)
select
    m.series_key,
    concat_ws(' · ', m.indicator_vi, m.product_vi, m.industry_vi, m.geo_vi) as name_vi,
    concat_ws(' · ', m.indicator_en, m.product_en, m.industry_en, m.geo) as name_en,
    m.measure, m.unit, c.periods, c.first_period_end, c.last_period_end, c.sources
from matched m
join coverage c using (series_key)
order by m.indicator, m.geo, m.industry, m.product, m.measure, m.unit
limit $limit;
