alter table t add constraint x_not_null check (x is not null) not valid;
