create schema app;
create table app.notes (id int primary key, status text not null default 'open');
