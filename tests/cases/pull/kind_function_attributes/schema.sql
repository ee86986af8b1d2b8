-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.kv (k text primary key, v text);
create function app.get(key text, fallback text default null) returns text
    language sql stable strict parallel safe security definer set search_path = ''
    as $$ select coalesce((select v from app.kv where k = key), fallback) $$;
create function app.pairs() returns table (k text, v text) language sql stable
    as $$ select k, v from app.kv order by k $$;
create function app.split(whole text, out head text, out tail text) language sql immutable
    as $$ select split_part(whole, ' ', 1), substr(whole, strpos(whole, ' ') + 1) $$;
create function app.total(variadic nums int[]) returns int language sql immutable leakproof
    as $$ select sum(n)::int from unnest(nums) n $$;
create function app.slow(n int) returns int language plpgsql volatile cost 1000
    set statement_timeout = '5s' set work_mem = '64MB'
    as $$ begin perform pg_sleep(0); return n; end $$;
create function app.many() returns setof int language sql immutable rows 10
    as $$ select generate_series(1, 10) $$;
comment on function app.get(text, text) is 'a value, or the fallback';
revoke execute on function app.get(text, text) from public;
grant execute on function app.get(text, text) to app_user;
