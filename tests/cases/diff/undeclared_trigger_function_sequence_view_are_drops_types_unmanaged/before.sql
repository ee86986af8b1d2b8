create schema app;
create table app.notes (id int primary key, body text, updated_at timestamptz);
create function app.touch() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end $$;
create trigger notes_touch before update on app.notes for each row execute function app.touch();
create view app.note_bodies as select id, body from app.notes;
create sequence app.ticket_numbers;
create type app.mood as enum ('ok', 'sad');
create domain app.positive as integer check (value > 0);
