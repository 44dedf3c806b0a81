-- release_state: whether this exact file of the source is loaded already (its release id),
-- and whether the release is newer than every release of its source and every withdrawal of
-- one (the load's short way: it appends to the current vintages, which a withdrawal after it
-- would have to reopen).
-- One round trip before the load's transaction. Parameters: $source, $sha256, $published.
select
    (select release_id from release where source = $source and sha256 = $sha256) as loaded,
    (select count(*) = 0 from release
     where source = $source and published_at >= $published)
    and (select count(*) = 0 from v_withdrawn w join release r using (release_id)
         where r.source = $source and w.withdrawn_at >= $published) as newest
