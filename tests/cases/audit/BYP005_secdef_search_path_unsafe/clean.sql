create function app.f() returns int language sql security definer set search_path = pg_catalog, pg_temp as $$ select 1 $$;
