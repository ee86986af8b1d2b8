create schema app;
create table app.notes (id int primary key, body text not null constraint body_not_blank check (length(body) > 0));
create index notes_body_idx on app.notes (body);
alter table app.notes enable row level security;
alter table app.notes force row level security;
create policy readable on app.notes for select to app_user using (body <> 'secret');
insert into app.notes values (1, 'x');
