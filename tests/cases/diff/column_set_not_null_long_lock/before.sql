create schema app;
create table app.notes (id int primary key, body text);
insert into app.notes values (1, 'x');
