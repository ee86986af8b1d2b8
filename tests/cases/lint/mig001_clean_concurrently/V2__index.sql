create index concurrently t_x on t (x);
