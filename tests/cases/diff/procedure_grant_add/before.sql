create schema app;
create table app.events (id int primary key, at timestamptz not null);
create procedure app.archive(days integer) language sql as $$delete from app.events where at < now() - make_interval(days => days)$$;
