-- release_to_correct: a release's source, reference period, publication date and, when it
-- is withdrawn, since when; no row for a release not loaded. Parameter: $release.
select r.source, r.reference_period, r.published_at, w.withdrawn_at
from release r
left join v_withdrawn w using (release_id)
where r.release_id = $release
