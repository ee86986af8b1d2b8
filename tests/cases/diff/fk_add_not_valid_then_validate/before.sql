create schema app;
create table app.users (id int primary key);
create table app.notes (id int primary key, author_id int);
insert into app.users values (1); insert into app.notes values (1, 1);
