create schema app;
create table app.docs (id uuid primary key);
