reset role;
create function app.leak(t text) returns boolean language sql immutable leakproof as $$ select true $$;
