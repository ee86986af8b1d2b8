create schema app;
create table app.notes (id int primary key, code text not null unique);
