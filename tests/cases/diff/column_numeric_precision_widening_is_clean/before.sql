create schema app;
create table app.notes (id int primary key, amount numeric(10, 2) not null);
insert into app.notes values (1, 12345678.91);
