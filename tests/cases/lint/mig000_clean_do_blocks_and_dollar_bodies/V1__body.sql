create function f() returns int language plpgsql as $$
begin
  perform 1; -- a semicolon inside the body
  return 2;
end $$;
do $do$ begin raise notice 'x; y'; end $do$;
comment on function f() is 'no findings here';
