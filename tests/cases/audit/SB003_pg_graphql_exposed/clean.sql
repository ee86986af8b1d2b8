-- Stand-in for pg_graphql (not installable here): Supabase's graphql.resolve.
create schema graphql;
create function graphql.resolve(query text, variables jsonb default '{}') returns jsonb
  language sql as $$ select '{}'::jsonb $$;
create table public.notes (id bigint primary key, body text);
alter table public.notes enable row level security;
-- Only the server-side role reads it: not in the API roles' introspection.
grant select on public.notes to service_role;
