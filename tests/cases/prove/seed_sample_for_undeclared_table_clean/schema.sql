do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create function app.me() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create table app.tenants (id uuid primary key,
    secret text not null check (md5(secret) = '900150983cd24fb0d6963f7d28e17f72'));
create table app.codes (id uuid primary key default gen_random_uuid(),
    tenant_id uuid not null references app.tenants (id), code text not null);
alter table app.codes enable row level security;
grant select, insert, update, delete on app.codes to app_user;
create policy codes_tenant on app.codes to app_user using (tenant_id = app.tenant());
