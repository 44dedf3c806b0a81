-- Cell accounting of a release the warehouse does not hold (the load writes both in one
-- transaction, so none should exist).
select c.release_id, count(*) as rows
from cell_account c
anti join release r using (release_id)
group by c.release_id
