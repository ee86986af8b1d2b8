create schema app;
create schema ext;
create extension pg_trgm schema ext;
create table app.docs (id uuid primary key);
