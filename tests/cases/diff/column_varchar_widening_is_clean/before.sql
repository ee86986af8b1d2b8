create schema app;
create table app.notes (id int primary key, code varchar(10) not null);
insert into app.notes values (1, 'abc');
