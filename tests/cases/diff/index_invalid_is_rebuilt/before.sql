create schema app;
create table app.notes (id int primary key, body text not null);
create index notes_body_idx on app.notes (body);
update pg_index set indisvalid = false where indexrelid = 'app.notes_body_idx'::regclass;
