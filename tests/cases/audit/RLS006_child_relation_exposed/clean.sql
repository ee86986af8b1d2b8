create table app.ev (tenant_id text not null, payload text) partition by list (tenant_id);
create table app.ev_a partition of app.ev for values in ('A');
create table app.ev_b partition of app.ev for values in ('B');
alter table app.ev enable row level security; alter table app.ev force row level security;
create policy ev on app.ev to app_user using (tenant_id = (select current_setting('app.tenant_id', true)));
grant select on app.ev to app_user;
