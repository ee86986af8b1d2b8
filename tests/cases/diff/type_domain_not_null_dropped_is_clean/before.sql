create schema app;
create domain app.email as text not null;
create table app.users (id int primary key, email app.email);
insert into app.users values (1, 'a@b');
