create schema app;
create type app.address as (street text, city text);
create table app.customers (id int primary key, address app.address);
insert into app.customers values (1, row('s', 'c'));
