create table app."My Docs" ("Tenant Id" text not null, "select" text);
alter table app."My Docs" enable row level security;
create policy "Tenant ""Isolation""" on app."My Docs" to app_user
  using ("Tenant Id" = (select current_setting('app.tenant_id', true)));
grant select on app."My Docs" to app_user;
