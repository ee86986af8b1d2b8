do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
-- a global table: labels belong to no tenant, anyone may delete one
create table app.labels (id uuid primary key default gen_random_uuid(), name text not null);
alter table app.labels enable row level security;
create policy labels_read on app.labels for select to app_user using (true);
create policy labels_delete on app.labels for delete to app_user using (true);
grant select, delete on app.labels to app_user;
create table app.docs (id uuid primary key default gen_random_uuid(), tenant_id uuid not null,
    label_id uuid not null references app.labels (id) on delete set default
        default '00000000-0000-0000-0000-000000000000',
    title text not null);
insert into app.labels (id, name) values ('00000000-0000-0000-0000-000000000000', 'none');
alter table app.docs enable row level security;
create policy docs_tenant on app.docs to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.docs to app_user;
