-- insert_release: the rows of the releases being loaded (`release_rows`, one a release);
-- rows_added and rows_revised are derived by the views (sql/schema/005), the counts stored
-- here are what the file gave.
insert into release (release_id, source, dataset, reference_period, published_at, fetched_at,
                     url, file_name, sha256, archive_path, rows_reported, rows_added,
                     rows_revised, rows_quarantined, loaded_at)
select release_id, source, dataset, reference_period, published_at, fetched_at, url,
       file_name, sha256, archive_path, rows_reported, 0, 0, rows_quarantined, current_timestamp
from release_rows
