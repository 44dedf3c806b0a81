-- keys: every series key in the warehouse, to check one given by a user and name the closest.
--
-- example: chiso series show IIP.VN._T._Z._Z.INDEX_YOY.INDEX
select series_key from series order by series_key;
