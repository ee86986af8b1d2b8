reset role; select public.ensure_role('prv003_client'); select public.ensure_role('prv003_owner');
grant prv003_owner to prv003_client; grant usage on schema app to prv003_client;
create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
alter table app.docs owner to prv003_owner;
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy p on app.docs to prv003_client using (tenant_id = (select current_setting('app.tenant_id', true)));
grant select on app.docs to prv003_client;
