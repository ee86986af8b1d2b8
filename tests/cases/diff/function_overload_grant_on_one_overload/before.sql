create schema app;
create function app.area(side integer) returns integer language sql immutable as $$select side * side$$;
create function app.area(side numeric) returns numeric language sql immutable as $$select side * side$$;
