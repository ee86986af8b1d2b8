reset role; select public.ensure_role('prv010_client'); select public.ensure_role('prv010_admin');
revoke prv010_admin from prv010_client; grant usage on schema app to prv010_client;
create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy own on app.docs for select to prv010_client using (tenant_id = (select current_setting('app.tenant_id', true)));
create policy admin on app.docs for select to prv010_admin using (true);
grant select on app.docs to prv010_client;
