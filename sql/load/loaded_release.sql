-- loaded_release: the id of the release already loaded from this exact file, if any: a
-- release of the same sha256, or one read from the same archived blob ($archive_path, null
-- for a release of several files). A source that names its releases by what they say
-- (flows/sources/nsdp.py) stores that identity, not the file's sha256, as the release's; its
-- blob still tells the same bytes apart before they are read again.
-- Parameters: $source, $sha256, $archive_path.
select release_id from release
where source = $source and (sha256 = $sha256 or archive_path = $archive_path)
limit 1
