-- batch_state: whether a batch of releases of the source can load together: none of their
-- files ($sha256, a list) is loaded already, and the first of them ($published) is newer than
-- every release of the source loaded before and every withdrawal of one
-- (warehouse/file_backend.py, load_releases).
select count(*) = 0
from release r
left join v_withdrawn w using (release_id)
where r.source = $source
  and (r.published_at >= $published or list_contains($sha256, r.sha256)
       or w.withdrawn_at >= $published)
