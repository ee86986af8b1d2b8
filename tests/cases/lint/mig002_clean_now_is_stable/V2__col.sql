alter table t add column created_at timestamptz not null default now();
