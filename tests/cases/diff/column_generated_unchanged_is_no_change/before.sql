create schema app;
create table app.lines (id int primary key, qty int not null, price int not null, total int generated always as (qty * price) stored);
