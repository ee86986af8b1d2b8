create schema app;
create function app.area(side integer) returns integer language sql immutable as $$select side * side$$;
