-- release_state: whether this exact file of the source is loaded already (its release id),
-- and whether the release is newer than every release of its source (the load's short way).
-- One round trip before the load's transaction. Parameters: $source, $sha256, $published.
select
    (select release_id from release where source = $source and sha256 = $sha256) as loaded,
    (select count(*) = 0 from release
     where source = $source and published_at >= $published) as newest
