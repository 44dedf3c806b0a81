-- source_has_vintages: whether `observation` holds any vintage of $source; a batch of a
-- source without one has no history to ask about (batch_earlier.sql).
select exists (select 1 from observation where source = $source)
