-- Releases whose recorded counts disagree with the rows they left behind.
with counted as (
    select r.release_id, r.rows_reported, r.rows_quarantined,
        (select count(*) from reported p where p.release_id = r.release_id) as reported,
        (select count(*) from quarantine q where q.release_id = r.release_id) as quarantined
    from release r
)
select * from counted
where rows_reported <> reported or rows_quarantined <> quarantined
