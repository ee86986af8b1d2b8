alter table t add column code text default code();
