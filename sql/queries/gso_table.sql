-- gso_table: one of the ten headline tables of GSO's monthly workbook, as series for a month.
--
-- The tables other extractors of these workbooks publish, rebuilt from the warehouse: `iip`
-- (industrial production index by industry), `products` (main industrial products, with units),
-- `exports` and `imports` (value and quantity by commodity), `trade_balance` (exports less
-- imports), `cpi` (consumer price index by group, gold, US dollar, core inflation), `fdi`
-- (projects and registered capital: new, adjusted, share purchases, by province and country),
-- `investment` (realised investment: state budget, total), `retail` (retail sales of goods and
-- services) and `gdp` (GDP by sector and expenditure, current and constant prices).
-- One row per series item and period that ends in the month (the month itself, the months so
-- far, the quarter or the year), the measures side by side: the level and its unit, the index
-- against the same period last year, against the previous period, the share, the plan and the
-- share of it done; `first_level` is the level as first published. Each figure from the most
-- trusted source holding it at $as_of.
--
-- parameter  type    default  example   meaning
-- table      text    iip      products  iip, products, exports, imports, trade_balance, cpi, fdi, investment, retail or gdp
-- period     period  2024-09  2024-06   the month the periods end in (YYYY-MM)
-- geo        text    ''       VN-31     only this place (VN, VN-31 ...; a province gives each of its territories); '' every place
--
-- example: chiso query gso_table --param table=products --param period=2024-09
with tables(name, indicator) as (
    select * from (values
        ('iip', 'IIP'), ('products', 'IND_PRODUCTION'),
        ('exports', 'EXPORTS'), ('exports', 'EXPORTS_QTY'),
        ('imports', 'IMPORTS'), ('imports', 'IMPORTS_QTY'),
        ('trade_balance', 'EXPORTS'), ('trade_balance', 'IMPORTS'),
        ('cpi', 'CPI'), ('cpi', 'CORE_INFLATION'), ('cpi', 'GOLD_PRICE'), ('cpi', 'USD_PRICE'),
        ('fdi', 'FDI'), ('fdi', 'FDI_PROJECTS'), ('fdi', 'FDI_CAPITAL'),
        ('fdi', 'FDI_CAPITAL_NEW'), ('fdi', 'FDI_CAPITAL_ADDED'), ('fdi', 'FDI_CAPITAL_SHARES'),
        ('investment', 'INV_STATE_BUDGET'), ('investment', 'INV_TOTAL'),
        ('retail', 'RETAIL'),
        ('gdp', 'GDP'), ('gdp', 'GDP_CURRENT'), ('gdp', 'GDP_CONSTANT'), ('gdp', 'GDP_GROWTH')
    )
), figures as (
    select a.*
    from as_of($as_of) a
    join tables t on t.indicator = a.indicator and t.name = $table
    where a.period_end = last_day(strptime($period, '%Y-%m'))::date
      and ($geo = '' or a.geo = $geo
           or a.geo in (select geo from territory where province = $geo))
      and ($table <> 'trade_balance' or (a.product = '_T' and a.measure = 'level'))
), firsts as (
    select f.series_key, f.period_type, f.period_start, f.period_end, v.value as first_level
    from figures f
    join v_first_release v using (series_key, period_type, period_start, period_end)
    where f.measure = 'level' and v.source = f.source
), wide as (
    select
        f.indicator, f.geo, f.industry, f.product, f.partner, f.period_type, f.period_start,
        f.period_end,
        max(f.value) filter (where f.measure = 'level') as level,
        max(f.unit) filter (where f.measure = 'level') as unit,
        max(r.first_level) filter (where f.measure = 'level') as first_level,
        max(f.value) filter (where f.measure = 'index_yoy') as index_yoy,
        max(f.value) filter (where f.measure = 'index_pop') as index_pop,
        max(f.value) filter (where f.measure = 'share') as share,
        max(f.value) filter (where f.measure = 'plan') as plan,
        max(f.value) filter (where f.measure = 'pct_of_plan') as pct_of_plan,
        max(f.status) as status,
        max(f.published_at) as published_at,
        string_agg(distinct f.source, ', ') as source
    from figures f
    left join firsts r using (series_key, period_type, period_start, period_end)
    group by all
), balance as (
    -- exports less imports, period by period, where both totals are published
    select 'TRADE_BALANCE' as indicator, geo, industry, '_T' as product, partner, period_type,
        period_start, period_end,
        max(level) filter (where indicator = 'EXPORTS')
            - max(level) filter (where indicator = 'IMPORTS') as level,
        max(unit) as unit,
        max(first_level) filter (where indicator = 'EXPORTS')
            - max(first_level) filter (where indicator = 'IMPORTS') as first_level,
        null::double as index_yoy, null::double as index_pop, null::double as share,
        null::double as plan, null::double as pct_of_plan,
        max(status) as status, max(published_at) as published_at,
        string_agg(distinct source, ', ') as source
    from wide
    where $table = 'trade_balance'
    group by all
    having count(distinct indicator) = 2
), chosen as (
    select * from wide where $table <> 'trade_balance'
    union all by name
    select * from balance
)
select
    c.indicator, c.geo,
    coalesce(nullif(c.product, '_Z'), nullif(c.industry, '_Z'), c.geo) as item,
    coalesce(lp.name_vi, li.name_vi, lg.name_vi) as item_name,
    c.period_type, c.period_start, c.period_end, c.unit, c.level, c.first_level, c.index_yoy,
    c.index_pop, c.share, c.plan, c.pct_of_plan, c.status, c.published_at, c.source
from chosen c
left join label lp on lp.dimension = 'product' and lp.code = c.product
    and lp.scope in (c.indicator, regexp_replace(c.indicator, '_QTY$', ''), '')
left join label li on li.dimension = 'industry' and li.code = c.industry
left join label lg on lg.dimension = 'geo' and lg.code = c.geo
qualify row_number() over (
    partition by c.indicator, c.geo, c.industry, c.product, c.partner, c.period_type,
        c.period_start
    order by lp.scope desc nulls last) = 1
order by c.indicator, c.period_type, c.geo, coalesce(lp.position, li.position, 1e9), item;
