create table public.workspace_members (workspace_id uuid not null, user_id uuid not null, primary key (workspace_id, user_id));
create index on public.workspace_members (user_id);
alter table public.workspace_members enable row level security;
create policy members_self on public.workspace_members for select to authenticated using (user_id = (select auth.uid()));
grant select on public.workspace_members to authenticated;
create table public.documents (id int primary key, workspace_id uuid not null);
create index on public.documents (workspace_id);
alter table public.documents enable row level security;
grant select on public.documents to authenticated;
-- The twin lives in a schema the API does not expose (as examples/supabase's helpers do).
create schema private;
grant usage on schema private to authenticated;
create function private.my_workspace_ids() returns setof uuid language sql stable security definer
  set search_path = '' as $$ select m.workspace_id from public.workspace_members m where m.user_id = (select auth.uid()) $$;
revoke execute on function private.my_workspace_ids() from public;
grant execute on function private.my_workspace_ids() to authenticated;
create policy member_reads on public.documents for select to authenticated
  using (workspace_id in (select private.my_workspace_ids()));
