create schema app;
create table app.users (id int primary key);
create table app.notes (id int primary key, author_id int references app.users);
