reset role;
select public.ensure_role('rls003_client'); select public.ensure_role('rls003_owner');
grant rls003_owner to rls003_client; grant usage on schema app to rls003_client;
create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
alter table app.docs owner to rls003_owner;
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy tenant on app.docs to rls003_client using (tenant_id = (select current_setting('app.tenant_id', true)));
grant select on app.docs to rls003_client;
