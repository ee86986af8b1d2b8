create schema app;
create table app.events (id int primary key, at timestamptz not null);
