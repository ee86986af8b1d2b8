-- `private` exists (it is scanned) but grants nothing: the fix needs no USAGE on it.
create schema private;
create table public.workspace_members (workspace_id uuid not null, user_id uuid not null, primary key (workspace_id, user_id));
create index on public.workspace_members (user_id);
alter table public.workspace_members enable row level security;
create policy members_self on public.workspace_members for select to authenticated using (user_id = (select auth.uid()));
grant select on public.workspace_members to authenticated;
create table public.documents (id int primary key, workspace_id uuid not null);
create index on public.documents (workspace_id);
alter table public.documents enable row level security;
grant select on public.documents to authenticated;
insert into public.workspace_members values
  ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-0000000000a1'),
  ('00000000-0000-0000-0000-00000000000b', '00000000-0000-0000-0000-0000000000b1');
insert into public.documents values
  (1, '00000000-0000-0000-0000-00000000000a'), (2, '00000000-0000-0000-0000-00000000000a'),
  (3, '00000000-0000-0000-0000-00000000000b');
-- A caller-scoped policy helper, but in the API schema: callable over /rpc, by anon too.
create function public.my_workspace_ids() returns setof uuid language sql stable security definer
  set search_path = '' as $$ select m.workspace_id from public.workspace_members m where m.user_id = (select auth.uid()) $$;
create policy member_reads on public.documents for select to authenticated
  using (workspace_id in (select public.my_workspace_ids()));
