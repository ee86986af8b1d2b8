-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- A deferrable constraint trigger: [triggers] has no `constraint`/`deferrable`.
create table app.accounts (id int primary key, balance int not null);
create function app.check_balance() returns trigger language plpgsql as $$
begin
  if new.balance < 0 then raise exception 'negative balance'; end if;
  return null;
end
$$;
create constraint trigger accounts_balance_check after insert or update on app.accounts
    deferrable initially deferred for each row execute function app.check_balance();
