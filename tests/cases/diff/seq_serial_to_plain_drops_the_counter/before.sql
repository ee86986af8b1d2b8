create schema app;
create table app.notes (id serial primary key, body text not null);
insert into app.notes (body) values ('a');
