alter table t add column status text not null default 'new';
