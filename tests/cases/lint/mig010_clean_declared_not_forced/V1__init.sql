create table t_unforced (id uuid primary key, tenant_id uuid not null);
alter table t_unforced enable row level security, force row level security;
