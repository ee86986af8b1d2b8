create schema app;
create table app.notes (id int primary key);
insert into app.notes values (1), (2);
