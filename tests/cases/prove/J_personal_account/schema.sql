do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create function app.user_id() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
-- Personal notes are readable by everyone: B's personal note (tenant_id = B's user) leaks.
create table app.notes (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, body text not null);
alter table app.notes enable row level security;
create policy notes_own on app.notes to app_user using (tenant_id = app.tenant() or tenant_id = app.user_id());
create policy notes_personal on app.notes for select to app_user using (body = 'personal note');
grant select, insert, update, delete on app.notes to app_user;
