-- An append-only audit log written by an invoker trigger, readable per tenant.
set role app_owner;
create function app.current_tenant_id() returns uuid language sql stable
  as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.projects (id bigint generated always as identity primary key, tenant_id uuid not null, name text not null);
create index on app.projects (tenant_id);
create table app.audit_log (id bigint generated always as identity primary key, tenant_id uuid not null,
  action text not null, row_id bigint, at timestamptz not null default now());
create index on app.audit_log (tenant_id);
alter table app.projects enable row level security;
alter table app.audit_log enable row level security;
alter table app.projects force row level security;
alter table app.audit_log force row level security;
create policy tenant on app.projects to app_user
  using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));
create policy read_log on app.audit_log for select to app_user using (tenant_id = (select app.current_tenant_id()));
create policy append_log on app.audit_log for insert to app_user with check (tenant_id = (select app.current_tenant_id()));
grant select, insert, update, delete on app.projects to app_user;
grant select, insert on app.audit_log to app_user;
grant execute on function app.current_tenant_id() to app_user;
create function app.log_change() returns trigger language plpgsql security invoker set search_path = '' as $$
begin
  insert into app.audit_log (tenant_id, action, row_id) values (new.tenant_id, tg_op, new.id);
  return new;
end $$;
create trigger projects_audit after insert or update on app.projects for each row execute function app.log_change();
