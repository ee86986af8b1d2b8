create schema app;
create table app.notes (id int primary key, body text not null);
create unique index notes_body_idx on app.notes (body);
