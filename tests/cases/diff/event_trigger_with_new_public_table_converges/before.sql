create schema app;
create function app.enable_rls() returns event_trigger language plpgsql as $$declare r record; begin for r in select * from pg_event_trigger_ddl_commands() where command_tag = 'CREATE TABLE' and object_type = 'table' loop execute format('alter table %s enable row level security', r.object_identity); execute format('alter table %s force row level security', r.object_identity); end loop; end$$;
create event trigger ensure_rls on ddl_command_end when tag in ('CREATE TABLE') execute function app.enable_rls();
