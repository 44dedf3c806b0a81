-- insert_quarantine: the release's rejected rows (`rejected_rows`), with their error codes.
insert into quarantine select * from rejected_rows
