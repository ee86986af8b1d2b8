do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create table app.docs (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, title text not null);
alter table app.docs enable row level security;
-- No missing_ok and no nullif: an unset context raises 42704 (unrecognized
-- configuration parameter), an empty one 22P02 (''::uuid). Both refuse the
-- request: the policy fails closed.
create policy docs_tenant on app.docs to app_user
    using (tenant_id = current_setting('app.tenant_id')::uuid);
grant select, insert, update, delete on app.docs to app_user;
