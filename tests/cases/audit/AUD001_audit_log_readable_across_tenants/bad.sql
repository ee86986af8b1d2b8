create table app.projects (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, name text not null);
alter table app.projects enable row level security; alter table app.projects force row level security;
create policy iso on app.projects to app_user using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
grant select, insert, update, delete on app.projects to app_user;
create table app.audit_log (id bigint generated always as identity primary key, tenant_id uuid not null, actor text, caller text not null, action text not null, row_data jsonb, at timestamptz not null default now());
alter table app.audit_log enable row level security; alter table app.audit_log force row level security;
create policy append on app.audit_log for insert with check (pg_trigger_depth() > 0);
-- Admins of any tenant read every tenant's entries.
create policy read on app.audit_log for select to app_user using (current_setting('app.member_role', true) = 'admin');
grant select on app.audit_log to app_user;
create function app.record_change() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into app.audit_log (tenant_id, actor, caller, action, row_data)
  values (coalesce(new.tenant_id, old.tenant_id), current_setting('app.user_id', true), coalesce(nullif(current_setting('role'), 'none'), session_user), tg_op, to_jsonb(coalesce(new, old)));
  return null;
end $$;
revoke execute on function app.record_change() from public;
create trigger audit after insert or update or delete on app.projects for each row execute function app.record_change();
