-- source_names: every source's code and name.
--
-- The publishers the warehouse knows, for naming a source code in a table or a chart.
--
-- example: flows/present/report.py (the Revisions and Conflicts sections)
select source, name
from source
order by source;
