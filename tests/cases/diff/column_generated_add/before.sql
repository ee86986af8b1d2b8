create schema app;
create table app.lines (id int primary key, qty int not null, price int not null);
insert into app.lines values (1, 2, 3);
