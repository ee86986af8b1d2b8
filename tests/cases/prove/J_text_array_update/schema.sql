do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create function app.user_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
-- The first plain column is a text[]: the update probes must write an array, not JSON text.
create table app.docs (id uuid primary key default gen_random_uuid(), tenant_id uuid not null,
    tags text[] not null default '{}', title text not null);
alter table app.docs enable row level security;
create policy sel on app.docs for select to app_user using (tenant_id = app.tenant());
create policy ins on app.docs for insert to app_user with check (tenant_id = app.tenant());
create policy upd on app.docs for update to app_user using (true) with check (true);
create policy del on app.docs for delete to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.docs to app_user;
