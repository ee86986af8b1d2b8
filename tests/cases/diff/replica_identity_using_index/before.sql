create schema app;
create table app.messages (id uuid primary key, body text not null);
create table app.rooms (id uuid primary key);
create unique index messages_body_key on app.messages (body);
