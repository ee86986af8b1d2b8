-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.counters (name text primary key, n bigint not null default 0);
create procedure app.bump(counter text, by_ bigint default 1)
    language plpgsql as $$
begin
  insert into app.counters (name, n) values (counter, by_)
  on conflict (name) do update set n = app.counters.n + excluded.n;
end
$$;
create procedure app.read_counter(counter text, inout value bigint default null)
    language plpgsql security definer set search_path = '' as $$
begin
  select n into value from app.counters where name = counter;
end
$$;
create procedure app.reset_all() language sql as $$ update app.counters set n = 0 $$;
grant execute on procedure app.bump(text, bigint) to app_user;
comment on procedure app.reset_all() is 'start over';
