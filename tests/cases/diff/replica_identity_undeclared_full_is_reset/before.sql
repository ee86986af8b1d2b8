create schema app;
create table app.messages (id uuid primary key, body text not null);
create table app.rooms (id uuid primary key);
alter table app.messages replica identity full;
