create schema app;
create table app.notes (id int primary key, body text not null);
comment on column app.notes.id is 'old comment';
