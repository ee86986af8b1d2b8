create schema app;
create table app.plans (id int primary key, body text not null);
grant select on app.plans to app_user with grant option;
