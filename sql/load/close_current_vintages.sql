-- close_current_vintages: end, at the release's publication, the current vintages that
-- `opened` replaces. Parameter: $published.
update observation set valid_to = $published
where rowid in (select closes from opened where closes is not null)
