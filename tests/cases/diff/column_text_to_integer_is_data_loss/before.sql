create schema app;
create table app.notes (id int primary key, n text not null);
insert into app.notes values (1, '42');
