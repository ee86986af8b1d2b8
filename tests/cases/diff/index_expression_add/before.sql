create schema app;
create table app.notes (id int primary key, body text not null);
