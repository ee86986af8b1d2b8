create schema app;
create table app.events (id int primary key, at timestamptz not null);
create function app.event_count() returns bigint language sql stable begin atomic select count(*) from app.events where id > 0; end;
