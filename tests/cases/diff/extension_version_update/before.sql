create schema app;
create extension citext schema app version '1.4';
create table app.docs (id uuid primary key);
