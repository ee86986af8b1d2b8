
alter table t add constraint t_x_key unique (x);
