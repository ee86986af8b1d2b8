create schema app;
create table app.docs (id uuid primary key);
create table app.base (id int);
create table app.child (extra text) inherits (app.base);
