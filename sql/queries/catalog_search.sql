-- catalog_search: find series by name or code, in Vietnamese or English, with or without accents.
--
-- Every series whose key, codes or names (indicator, place, industry, product: the names and
-- aliases of flows/reference, in both languages) contain every word of `text`, compared
-- without case or diacritics ("xuat khau dien thoai" finds "Xuất khẩu" of "Điện thoại"), with
-- its names, how many periods it covers at $as_of, its first and last period and sources.
-- Headlines come first: series whose shown names hold every word before those found through
-- an alias only, then the whole country before a province, the total before its breakdowns
-- (whole industry `_T`, then VSIC sections, then divisions; all products before one), the
-- level and the index on last year before other measures. `found` counts every match, shown
-- or not.
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
), labelled as (
    select
        s.*,
        i.name_vi as indicator_vi, i.name_en as indicator_en,
        g.name_vi as geo_vi, nullif(g.name_en, '') as geo_en,
        -- `_T` is the whole industry (B-E) for the IIP and the PPI, every activity for GRDP:
        -- named for those two only
        case when s.industry <> '_T' or s.indicator in ('IIP', 'PPI')
             then d.name_vi end as industry_vi,
        case when s.industry <> '_T' or s.indicator in ('IIP', 'PPI')
             then d.name_en end as industry_en,
        -- an item of the GSO catalogue's lists has a Vietnamese name only
        p.name_vi as product_vi, coalesce(nullif(p.name_en, ''), p.name_vi) as product_en,
        i.aliases as indicator_aliases, g.aliases as geo_aliases, d.aliases as industry_aliases,
        p.aliases as product_aliases
    from series s
    left join label i on i.dimension = 'indicator' and i.code = s.indicator
    left join label g on g.dimension = 'geo' and g.code = s.geo
    left join label d on d.dimension = 'industry' and d.code = s.industry
    left join label p on p.dimension = 'product' and p.code = s.product
                      and p.scope in (regexp_replace(s.indicator, '_QTY$', ''), '')
), named as (
    -- `shown`: the key, codes and the names printed; `haystack`: those and every alias
    select *,
        lower(strip_accents(replace(replace(shown, 'đ', 'd'), 'Đ', 'D'))) as shown_folded,
        lower(strip_accents(replace(replace(concat_ws(' ', shown, indicator_aliases,
            geo_aliases, industry_aliases, product_aliases), 'đ', 'd'), 'Đ', 'D'))) as haystack
    from (
        select *, concat_ws(' ', series_key, indicator, geo, industry, product, partner, measure,
                            unit, indicator_vi, indicator_en, geo_vi, geo_en,
                            replace(geo_en, ' ', ''), industry_vi, industry_en, product_vi,
                            product_en) as shown
        from labelled
    )
), matched as (
    select n.*,
        len(list_filter(w.words, lambda x: not contains(n.shown_folded, x))) = 0 as in_names
    from named n, words w
    where len(w.words) > 0
      and len(list_filter(w.words, lambda x: not contains(n.haystack, x))) = 0
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
    concat_ws(' · ', m.indicator_en, m.product_en, m.industry_en, coalesce(m.geo_en, m.geo))
        as name_en,
    m.measure, m.unit, c.periods, c.first_period_end, c.last_period_end, c.sources,
    count(*) over () as found
from matched m
join coverage c using (series_key)
order by
    not m.in_names,
    case m.geo when 'VN' then 0 when '_Z' then 1 else 2 end,
    case when m.industry in ('_T', '_Z') then 0
         when length(m.industry) = 1 or contains(m.industry, '_') then 1
         else length(m.industry) end,
    m.product not in ('_T', '_Z'),
    m.partner not in ('_T', '_Z'),
    m.indicator, m.geo, m.industry, m.product, m.partner,
    case m.measure when 'level' then 0 when 'index_yoy' then 1 else 2 end,
    m.measure, m.unit
limit $limit;
