create schema app;
create table app.plans (id int primary key, name text not null, price int not null);
grant select (name, price), update (name), update (price) on app.plans to app_user;
