create table t (
  id uuid primary key,
  tenant_id uuid not null,
  x int
);
alter table t enable row level security;
create table u (
  id uuid primary key,
  tenant_id uuid not null
);
alter table u enable row level security;
create policy p on t using (tenant_id = current_setting('app.tenant_id')::uuid);
create table scratch as select id, tenant_id from t;
drop table scratch;
