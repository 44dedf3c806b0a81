-- redate_release: a release's corrected publication date (release_correction keeps the old
-- one). Parameters: $release, $published.
update release set published_at = $published where release_id = $release
