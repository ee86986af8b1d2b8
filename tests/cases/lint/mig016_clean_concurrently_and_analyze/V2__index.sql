create index concurrently t_x on t (x);
drop index concurrently if exists t_old;
analyze t;
