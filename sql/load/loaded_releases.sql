-- loaded_releases: the releases already loaded from any of these exact files or archived
-- blobs (a backfill's batch asks once for all of them; see loaded_release.sql), with their
-- ids. Parameters: $source, $sha256 (a list), $archive_path (a list).
select sha256, archive_path, release_id from release
where source = $source
  and (list_contains($sha256, sha256) or list_contains($archive_path::varchar[], archive_path))
