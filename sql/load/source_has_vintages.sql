-- source_has_vintages: whether `observation` holds any vintage of $source; a batch into a
-- source without one opens its vintages from its own figures (warehouse/first_vintages.py).
select exists (select 1 from observation where source = $source)
