-- witness_lib.sql — helpers for the per-schema witness.sql scripts, created
-- inside the witness transaction (which is rolled back).
--   witness.try(sql)        runs sql as the current role: 'ok:<rows>' or 'err:<sqlstate>'
--   witness.count(sql)      runs a count query as the current role
--   witness.expect(ok, msg) raises unless ok; otherwise prints msg
create schema witness;
grant usage on schema witness to public;

create function witness.try(p_sql text) returns text
  language plpgsql
as $$
declare
  n bigint;
begin
  execute p_sql;
  get diagnostics n = row_count;
  return 'ok:' || n;
exception when others then
  return 'err:' || sqlstate;
end
$$;

create function witness.count(p_sql text) returns bigint
  language plpgsql
as $$
declare
  n bigint;
begin
  execute p_sql into n;
  return n;
end
$$;

create function witness.expect(p_ok boolean, p_what text) returns void
  language plpgsql
as $$
begin
  if p_ok is not true then
    raise exception 'WITNESS FAILED: %', p_what;
  end if;
  raise notice '%', p_what;
end
$$;
grant execute on all functions in schema witness to public;

create function witness.error_message(p_sql text) returns text
  language plpgsql
as $$
begin
  execute p_sql;
  return null;
exception when others then
  return sqlerrm;
end
$$;
grant execute on function witness.error_message(text) to public;
