alter table t add constraint x_positive check (x > 0);
