create table t (id uuid, tenant_id uuid);
create index on t (id);
alter table t enable row level security;
