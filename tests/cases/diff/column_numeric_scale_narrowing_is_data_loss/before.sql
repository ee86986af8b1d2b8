create schema app;
create table app.notes (id int primary key, amount numeric(10, 4) not null);
