-- rlsctl:reviewed destructive
alter table t drop column x;
drop table u;
