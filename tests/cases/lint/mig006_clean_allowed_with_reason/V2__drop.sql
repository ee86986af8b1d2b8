-- rlsctl:allow MIG006 nothing reads x since release 42
alter table t drop column x;
