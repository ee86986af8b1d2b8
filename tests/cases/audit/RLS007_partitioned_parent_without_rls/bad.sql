create table app.ev (tenant_id text not null, payload text) partition by list (tenant_id);
create table app.ev_a partition of app.ev for values in ('A');
alter table app.ev_a enable row level security;
grant select on app.ev to app_user;
