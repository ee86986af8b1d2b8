create schema app;
create table app.plans (id int primary key, name text not null, price int not null);
