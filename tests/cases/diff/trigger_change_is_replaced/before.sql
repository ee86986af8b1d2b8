create schema app;
create function app.touch() returns trigger language plpgsql as $$begin new.updated_at := now(); return new; end$$;
create table app.notes (id integer primary key, body text not null, updated_at timestamptz not null default now());
create trigger touch before update on app.notes for each row execute function app.touch();
