-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- An event trigger of the project: new tables in app get RLS enabled.
create function app.enable_rls_on_new_tables() returns event_trigger language plpgsql as $$
declare
  obj record;
begin
  for obj in select * from pg_event_trigger_ddl_commands() where command_tag = 'CREATE TABLE' loop
    if obj.schema_name = 'app' then
      execute format('alter table %s enable row level security', obj.object_identity);
    end if;
  end loop;
end
$$;
create event trigger app_enable_rls on ddl_command_end when tag in ('CREATE TABLE')
    execute function app.enable_rls_on_new_tables();
create function app.no_drops() returns event_trigger language plpgsql as $$
begin
  raise notice 'dropping';
end
$$;
create event trigger app_notice_drops on sql_drop execute function app.no_drops();
alter event trigger app_notice_drops disable;
