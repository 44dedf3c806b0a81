-- opened_counts: the vintages `opened` holds, those that changed the current value (revised),
-- and those that changed the status alone (restated: a revision only if an earlier value
-- differed, restated_revisions.sql).
select count(*) as opened,
       count(*) filter (where current_value <> value) as revised,
       count(*) filter (where current_value = value) as restated
from opened
