-- Releases withdrawn now: those whose last withdraw or reinstate correction is a withdrawal.
-- The vintage derivation (sql/load/derive_vintages.sql) stops counting their figures from
-- withdrawn_at; v_first_release and v_revisions leave them out.
create or replace view v_withdrawn as
select release_id, effective_at as withdrawn_at, reason, correction_id
from release_correction
where action in ('withdraw', 'reinstate')
qualify row_number() over (partition by release_id order by correction_id desc) = 1
    and action = 'withdraw';

comment on view v_withdrawn is
    'Releases withdrawn now (`chiso release withdraw`), one row each: their figures were current until withdrawn_at and no longer count after it (v_latest leaves them out; as_of before withdrawn_at still shows them). Table release_correction has the whole record.';
comment on column v_withdrawn.release_id is 'The release withdrawn (table release).';
comment on column v_withdrawn.withdrawn_at is 'From when its figures no longer count, Viet Nam local time.';
comment on column v_withdrawn.reason is 'Why it was withdrawn.';
comment on column v_withdrawn.correction_id is 'The withdrawal in table release_correction.';
