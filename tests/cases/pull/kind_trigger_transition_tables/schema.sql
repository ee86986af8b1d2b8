-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.stock (
    id int primary key,
    qty int not null
);
create table app.stock_audit (
    changed int not null,
    at timestamptz not null default now()
);
create function app.count_changes() returns trigger language plpgsql as $$
begin
  insert into app.stock_audit (changed) select count(*) from new_rows;
  return null;
end
$$;
create trigger stock_changes after update on app.stock
    referencing old table as old_rows new table as new_rows
    for each statement execute function app.count_changes();
create function app.with_args() returns trigger language plpgsql as $$
begin
  raise notice 'args: %', tg_argv;
  return new;
end
$$;
create trigger stock_args before insert on app.stock
    for each row execute function app.with_args('first', 'it''s second', '42');
