-- count_lake_load: every lake load bumps the one row of lake_state, so two overlapping load
-- transactions always conflict and DuckLake refuses the later commit (warehouse/lake.py).
update lake_state set loads = loads + 1
