alter table t validate constraint x_not_null;
alter table t alter column x set not null;
