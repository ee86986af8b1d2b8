-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create function app.area(r double precision) returns double precision language sql immutable
    as $$ select pi() * r * r $$;
create function app.area(w double precision, h double precision) returns double precision language sql immutable
    as $$ select w * h $$;
create function app.area(label text) returns text language sql immutable
    as $$ select 'area of ' || label $$;
create function app.area(sides int[]) returns bigint language sql immutable
    as $$ select coalesce(sum(s), 0) from unnest(sides) s $$;
grant execute on function app.area(double precision) to app_user;
revoke execute on function app.area(text) from public;
