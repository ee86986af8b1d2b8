create table notes (id uuid primary key, body text);
alter table notes enable row level security;
