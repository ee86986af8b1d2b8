create schema app;
create table app.notes (id int primary key, body text collate "C" not null);
create index notes_body_idx on app.notes (body);
