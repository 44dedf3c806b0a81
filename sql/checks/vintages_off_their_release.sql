-- Vintages that do not start at their release's publication date, or point at a release or
-- series that does not exist. A vintage a withdrawal reopened starts when the other release
-- was withdrawn (sql/load/derive_vintages.sql).
select o.series_key, o.period_start, o.release_id, o.valid_from, r.published_at
from observation o
left join release r using (release_id)
left join series s using (series_key)
where r.release_id is null or s.series_key is null
   or (o.valid_from <> r.published_at
       and o.valid_from not in (select w.withdrawn_at from v_withdrawn w
                                join release wr using (release_id)
                                where wr.source = o.source))
