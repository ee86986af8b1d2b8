do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create function app.me() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create table app.drafts (id uuid primary key default gen_random_uuid(), tenant_id uuid not null,
    made_by uuid not null, body text not null);
alter table app.drafts enable row level security;
grant select, insert, update, delete on app.drafts to app_user;
create policy drafts_own on app.drafts to app_user
    using (tenant_id = app.tenant() and made_by = app.me());
