-- batch_state: whether a batch of releases of the source can load together: none of their
-- files ($sha256, a list) is loaded already, and the first of them ($published) is newer than
-- every release of the source loaded before (warehouse/file_backend.py, load_releases).
select count(*) = 0
from release
where source = $source and (published_at >= $published or list_contains($sha256, sha256))
