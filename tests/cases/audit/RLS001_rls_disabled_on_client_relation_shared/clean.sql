create table app.plans (id text primary key, name text);
alter table app.plans enable row level security;
create policy everyone on app.plans for select to app_user using (true);
grant select on app.plans to app_user;
