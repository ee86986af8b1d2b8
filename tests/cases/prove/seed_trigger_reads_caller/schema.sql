do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create function app.me() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create table app.notes (id uuid primary key default gen_random_uuid(), tenant_id uuid not null,
    made_by uuid not null, body text not null);
-- The author is whoever writes the row: without the caller's context the row cannot be written.
create function app.stamp_author() returns trigger language plpgsql as $$
begin
  new.made_by := app.me();
  return new;
end $$;
create trigger notes_author before insert on app.notes for each row execute function app.stamp_author();
alter table app.notes enable row level security;
grant select, insert, update, delete on app.notes to app_user;
create policy notes_tenant on app.notes to app_user using (tenant_id = app.tenant());
create policy notes_update on app.notes for update to app_user using (true);
