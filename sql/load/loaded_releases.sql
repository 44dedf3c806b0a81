-- loaded_releases: the releases already loaded from any of these exact files (a backfill's
-- batch asks once for all of them), with their ids. Parameters: $source, $sha256 (a list).
select sha256, release_id from release where source = $source and list_contains($sha256, sha256)
