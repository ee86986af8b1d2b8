create table app.plans (id text primary key, name text);
grant select on app.plans to app_user;
