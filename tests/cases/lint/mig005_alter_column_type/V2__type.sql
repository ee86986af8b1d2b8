alter table t alter column x type bigint;
