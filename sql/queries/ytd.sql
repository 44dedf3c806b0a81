-- ytd: a series year to date, one row for each month of the year, however GSO wrote it.
--
-- January to each month end of `year`, from v_ytd's rules (ytd_as_of at $as_of): "9 tháng"
-- as published, and January, the first quarter ("quý I"), the first half and the year ("Năm
-- 2024") from the periods that start on 1 January. `published_as` names the form printed and
-- `provenance` the cell. Always twelve rows a series: a month with no year-to-date figure
-- shows an empty value (a release not loaded). By default the national total of `indicator`
-- (industry and product _T or _Z, no partner); `series` picks one series_key instead. A
-- province whose borders changed in the year gives a series per territory (Hải Phòng
-- 2025: VN-31 to June, VN-31-2025 after), never one spliced from both.
--
-- parameter  type    default  example                         meaning
-- indicator  text    EXPORTS  IIP                             the indicator (EXPORTS, IMPORTS, IIP, CPI, ...)
-- measure    text    level    index_yoy                       level, index_yoy, share, index_base, ...
-- geo        text    VN       VN-31                           Viet Nam (VN) or a province (VN-31 Hải Phòng)
-- series     series  ''       IIP.VN.C._Z._Z.INDEX_YOY.INDEX  one series_key instead of indicator, measure and geo; '' for the total
-- year       int     2024     2023                            the year
--
-- example: chiso query ytd --param indicator=IIP --param measure=index_yoy --param year=2024
with ytd as (
    select *
    from ytd_as_of($as_of)
    where year(period_end) = $year
      and (($series = '' and indicator = $indicator and measure = $measure
            and (geo = $geo or geo in (select geo from territory where province = $geo))
            and industry in ('_T', '_Z') and product in ('_T', '_Z') and partner = '_Z')
           or series_key = $series)
), wanted as (
    select distinct series_key from ytd
), months as (
    select unnest(range(1, 13)) as month
)
select
    w.series_key, m.month, last_day(make_date($year, m.month, 1)) as period_end,
    y.value, y.period_type_published as published_as, y.status, y.source, y.published_at,
    y.provenance
from wanted w
cross join months m
left join ytd y on y.series_key = w.series_key and month(y.period_end) = m.month
order by w.series_key, m.month;
