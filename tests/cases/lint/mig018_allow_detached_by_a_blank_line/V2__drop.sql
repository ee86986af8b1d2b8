-- rlsctl:allow MIG006 x is unused

alter table t drop column x;
