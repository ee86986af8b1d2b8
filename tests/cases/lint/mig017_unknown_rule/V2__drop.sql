-- rlsctl:allow MIG106 typo in the id
alter table t drop column x;
