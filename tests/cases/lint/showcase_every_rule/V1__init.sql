create table projects (id uuid primary key, tenant_id uuid not null, name text);
alter table projects enable row level security;
create policy iso on projects using (tenant_id = current_setting('app.t')::uuid);
create index on projects (name);
