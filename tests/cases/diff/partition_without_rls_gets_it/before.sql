create schema app;
create table app.events (tenant_id uuid not null, id uuid not null, created_at date not null, primary key (tenant_id, id, created_at)) partition by range (created_at);
alter table app.events enable row level security;
alter table app.events force row level security;
create policy tenant_isolation on app.events to app_user using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
create table app.y2025 partition of app.events for values from ('2025-01-01') to ('2026-01-01');
