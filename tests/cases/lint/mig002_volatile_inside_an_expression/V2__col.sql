alter table t add column code text default md5(random()::text);
