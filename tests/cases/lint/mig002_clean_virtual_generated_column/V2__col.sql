alter table t add column x2 int generated always as (x * 2) virtual;
