create schema app;
create table app.notes (id bigint generated always as identity primary key, body text not null);
insert into app.notes (body) values ('a'), ('b');
