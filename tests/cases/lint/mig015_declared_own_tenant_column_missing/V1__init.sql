create table items (id uuid primary key, tenant_id uuid);
alter table items enable row level security;
