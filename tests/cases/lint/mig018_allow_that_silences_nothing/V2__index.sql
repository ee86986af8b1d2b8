-- rlsctl:allow MIG001 big table
create index concurrently t_x on t (x);
