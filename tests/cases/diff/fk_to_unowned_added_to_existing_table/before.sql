create schema app;
create schema if not exists auth;
create table if not exists auth.users (id uuid primary key);
create table app.profiles (id uuid primary key);
