-- insert_release: the release's own row; rows_added and rows_revised are derived by the
-- views (sql/schema/005), the counts stored here are what the file gave.
insert into release (release_id, source, dataset, reference_period, published_at, fetched_at,
                     url, file_name, sha256, archive_path, rows_reported, rows_added,
                     rows_revised, rows_quarantined, loaded_at)
values ($release, $source, $dataset, $reference_period, $published, $fetched, $url,
        $file_name, $sha256, $archive_path, $reported, 0, 0, $quarantined, current_timestamp)
