-- rlsctl:allow MIG006 x is unused since release 42
-- rlsctl:allow MIG005 y is tiny
alter table t drop column x, alter column id type text;
