-- loaded_release: the id of the release already loaded from this exact file, if any.
-- Parameters: $source, $sha256.
select release_id from release where source = $source and sha256 = $sha256
