create schema app;
create table app.customers (id int primary key, name text not null);
insert into app.customers values (1, 'lost row');
