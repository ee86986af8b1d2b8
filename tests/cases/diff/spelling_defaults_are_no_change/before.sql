create schema app;
create table app.t (
  id int primary key,
  status text not null default 'open'::text,
  n int not null default (0),
  flag boolean not null default 't'::boolean,
  at timestamptz not null default CURRENT_TIMESTAMP,
  created timestamptz not null default now(),
  price numeric not null default 1.50,
  tags text[] not null default '{}'::text[]);
