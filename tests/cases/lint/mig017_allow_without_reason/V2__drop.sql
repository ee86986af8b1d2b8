-- rlsctl:allow MIG006
alter table t drop column x;
