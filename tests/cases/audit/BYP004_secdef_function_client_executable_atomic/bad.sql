create table app.docs (id int primary key, tenant_id text not null, secret text);
alter table app.docs enable row level security;
create policy sel on app.docs for select to app_user using (tenant_id = (select current_setting('app.tenant_id', true)));
grant select on app.docs to app_user;
reset role;
create function app.secrets() returns setof text language sql stable security definer
  set search_path = ''
begin atomic
  select d.secret from app.docs d;
end;
