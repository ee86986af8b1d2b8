alter table t add constraint x_not_null check (x is not null) not valid;
alter table t alter column x set not null;
