-- insert_correction: one row of release_correction. Parameters: $correction, $release,
-- $action, $old, $new, $effective, $reason, $recorded.
insert into release_correction values (
    $correction, $release, $action, $old, $new, $effective, $reason, $recorded)
