do $$ begin create role authenticator login noinherit; exception when duplicate_object or unique_violation then null; end $$;
do $$ begin create role web_user; exception when duplicate_object or unique_violation then null; end $$;
grant web_user to authenticator;
create schema app;
grant usage on schema app to web_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
-- "Calls from our backend are trusted": but every API request arrives as authenticator.
create function app.trusted_caller() returns boolean language sql stable
    as $$ select session_user = 'authenticator' $$;
create table app.docs (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, title text not null);
alter table app.docs enable row level security;
create policy docs_tenant on app.docs to web_user using (tenant_id = app.tenant() or app.trusted_caller());
grant select, insert, update, delete on app.docs to web_user;
