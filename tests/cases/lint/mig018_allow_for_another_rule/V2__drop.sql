-- rlsctl:allow MIG007 wrong rule
alter table t drop column x;
