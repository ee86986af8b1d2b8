create unique index concurrently t_x_key on t (x);
alter table t add constraint t_x_key unique using index t_x_key;
