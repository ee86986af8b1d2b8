create schema app;
create table app.notes (id int primary key, body text not null);
insert into app.notes values (1, 'x');
