create schema app;
create table app.plans (id int primary key);
