-- observations: every current observation with its series' codes and names (what `chiso export` writes).
--
-- The warehouse at $as_of (v_latest when latest): for each series and period the value from
-- the most trusted source, with its status, source, release, publication date and where it
-- was published, and the names of its indicator, place, industry and product in Vietnamese
-- and English (from flows/reference). A place's name carries the dates of its borders where
-- they changed: "Hải Phòng (đến 30/6/2025)" (VN-31) and "Hải Phòng (từ 1/7/2025)" (VN-31-2025).
--
-- parameter  type    default  example                          meaning
-- indicator  text    ''       EXPORTS                          only this indicator; '' for all
-- geo        text    ''       VN                               only this place, every territory of a province (VN-31 gives VN-31 and VN-31-2025); '' for all
-- series     series  ''       IIP.VN._T._Z._Z.INDEX_YOY.INDEX  only this series (a series_key); '' for all
--
-- example: chiso query observations --param indicator=IIP --param geo=VN-31 --format csv
select
    a.series_key, a.indicator, i.name_vi as indicator_vi, i.name_en as indicator_en,
    a.geo, g.name_vi as geo_vi, g.name_en as geo_en, a.industry, d.name_vi as industry_vi,
    d.name_en as industry_en,
    a.product, p.name_vi as product_vi, p.name_en as product_en, a.partner, a.measure, a.unit,
    a.period_type, a.period_start, a.period_end, a.value, a.status, a.source, a.release_id,
    a.published_at, a.provenance
from as_of($as_of) a
left join label i on i.dimension = 'indicator' and i.code = a.indicator
left join label g on g.dimension = 'geo' and g.code = a.geo
left join label d on d.dimension = 'industry' and d.code = a.industry
left join label p on p.dimension = 'product' and p.code = a.product
                  and p.scope in (regexp_replace(a.indicator, '_QTY$', ''), '')
where ($indicator = '' or a.indicator = $indicator)
  and ($geo = '' or a.geo = $geo or a.geo in (select geo from territory where province = $geo))
  and ($series = '' or a.series_key = $series)
order by a.indicator, a.geo, a.series_key, a.period_type, a.period_end;
