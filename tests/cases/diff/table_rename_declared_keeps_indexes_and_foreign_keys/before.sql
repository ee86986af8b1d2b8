create schema app;
create table app.customers (id int primary key, email text not null unique, name text not null);
create index customers_name_idx on app.customers (name);
create table app.orders (id int primary key, customer_id int not null references app.customers);
insert into app.customers values (1, 'a@x', 'a'); insert into app.orders values (1, 1);
