-- The decimal places two publishers' values of one figure are compared at (v_conflicts and the
-- named query `conflicts`): the fewer either printed. A value whose publisher stated no places
-- (a workbook cell, an API's number) counts the places its number has written shortest
-- (GSO's cell 115.94 has 2, so the NSDP's 115.9350363 agrees with it); a whole number 0; one
-- that needs an exponent, 15. At most the places of its first 12 significant digits
-- (115.142988801494: 9): past them a double holds the noise of the order a total was summed
-- in (114.10458641754815 and 114.10458641754812 are one figure; flows/validate.py caps its
-- places the same way, tests/test_validate.py holds the two together).
create or replace macro written_places(value) as
    case when contains(lower(cast(value as varchar)), 'e') then 15
         when value = round(value) then 0
         else least(length(split_part(cast(value as varchar), '.', 2)),
                    12 - case when abs(value) < 1 then 0
                              else length(cast(trunc(abs(value)) as bigint)::varchar) end)
    end;

create or replace macro compared_places(value, places, other_value, other_places) as
    cast(least(coalesce(places, written_places(value)),
               coalesce(other_places, written_places(other_value))) as integer);

comment on macro written_places is
    'The decimal places of a number written shortest (115.94: 2, 2.0: 0); 15 when it needs an exponent.';
comment on macro compared_places is
    'The decimal places two values of one figure are compared at: the fewer either publisher printed; a value with no stated places counts those of its number written shortest (115.94: 2).';
