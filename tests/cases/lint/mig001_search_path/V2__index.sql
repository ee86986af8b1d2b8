set search_path = app;
create index on t (x);
