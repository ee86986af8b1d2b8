create schema app;
create table app.notes (id int primary key, code varchar(10) not null);
