create table app.docs (id int primary key, tenant_id text not null, secret text);
alter table app.docs enable row level security;
create policy sel on app.docs for select to app_user using (tenant_id = (select current_setting('app.tenant_id', true)));
grant select on app.docs to app_user;
reset role;
-- An event-trigger function runs only as an event trigger: no client calls it.
create function app.log_ddl() returns event_trigger language plpgsql security definer
  set search_path = '' as $$ begin perform count(*) from app.docs; end $$;
