create schema app;
create extension citext schema app;
create table app.docs (id uuid primary key);
