-- Stand-in, for dev databases only, for the roles every Supabase project has
-- before its first migration. Written from Supabase's documented setup, not
-- copied from it.
--
--   anon           requests without a JWT (the "anon" API key)
--   authenticated  requests with a signed-in user's JWT
--   service_role   the server-side key: BYPASSRLS, never handed to clients
--   authenticator  the role PostgREST logs in as; NOINHERIT, so it holds no
--                  privilege of its own and SET ROLEs to the JWT's `role`
--   supabase_auth_admin, supabase_storage_admin
--                  own the auth and storage schemas (the Auth and Storage
--                  services migrate them; projects only read and reference them)
--
-- Roles are cluster-wide and several databases of one cluster run this file,
-- possibly at the same time: each role is created only when missing, and a
-- concurrent creator's win is not an error. rlsctl creates the roles the project
-- declares ([roles] in rlsctl.toml) before this file runs; their attributes are
-- set to Supabase's below.
do $roles$
begin
  begin
    create role anon nologin noinherit;
  exception when duplicate_object or unique_violation then null;
  end;
  begin
    create role authenticated nologin noinherit;
  exception when duplicate_object or unique_violation then null;
  end;
  begin
    create role service_role nologin noinherit bypassrls;
  exception when duplicate_object or unique_violation then null;
  end;
  begin
    create role authenticator login noinherit;
  exception when duplicate_object or unique_violation then null;
  end;
  begin
    create role supabase_auth_admin nologin noinherit createrole;
  exception when duplicate_object or unique_violation then null;
  end;
  begin
    create role supabase_storage_admin nologin noinherit createrole;
  exception when duplicate_object or unique_violation then null;
  end;

  -- Only when different: ALTER ROLE rewrites the role's row even when nothing
  -- changes, and two databases doing that at once conflict.
  if exists (select 1 from pg_roles where rolname = 'service_role' and not rolbypassrls) then
    alter role service_role bypassrls;
  end if;
  if exists (select 1 from pg_roles where rolname = 'authenticator' and (rolinherit or not rolcanlogin)) then
    alter role authenticator login noinherit;
  end if;

  -- PostgREST switches from authenticator to the JWT's role; Storage acts as
  -- the caller too.
  if not pg_has_role('authenticator', 'anon', 'member') then
    begin
      grant anon to authenticator;
    exception when unique_violation then null;  -- granted by another database just now
    end;
  end if;
  if not pg_has_role('authenticator', 'authenticated', 'member') then
    begin
      grant authenticated to authenticator;
    exception when unique_violation then null;
    end;
  end if;
  if not pg_has_role('authenticator', 'service_role', 'member') then
    begin
      grant service_role to authenticator;
    exception when unique_violation then null;
    end;
  end if;
  if not pg_has_role('supabase_storage_admin', 'authenticator', 'member') then
    begin
      grant authenticator to supabase_storage_admin;
    exception when unique_violation then null;
    end;
  end if;
end
$roles$;
