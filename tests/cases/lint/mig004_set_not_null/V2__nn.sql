alter table t alter column x set not null;
