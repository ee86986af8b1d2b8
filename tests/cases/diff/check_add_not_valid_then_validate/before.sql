create schema app;
create table app.notes (id int primary key, n int not null);
insert into app.notes values (1, 5);
