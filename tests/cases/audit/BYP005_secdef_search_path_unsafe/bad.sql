create function app.f() returns int language sql security definer as $$ select 1 $$;
