create schema app;
create function app.twice(x integer) returns integer language sql immutable as 'select $1 * 2';
