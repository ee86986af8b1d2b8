create schema app;
create domain app.email as text;
create table app.users (id int primary key, email app.email not null);
insert into app.users values (1, 'a@b');
