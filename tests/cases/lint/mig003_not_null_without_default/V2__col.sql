alter table t add column name text not null;
