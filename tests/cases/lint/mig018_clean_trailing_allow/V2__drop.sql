alter table t drop column x; -- rlsctl:allow MIG006 x is unused since release 42
