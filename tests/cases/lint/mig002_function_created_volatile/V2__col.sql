alter table t add column code text default make_code();
