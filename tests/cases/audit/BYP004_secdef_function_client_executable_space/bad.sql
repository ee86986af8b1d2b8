create table public.notes (id int primary key, owner uuid not null, body text);
alter table public.notes enable row level security;
create policy notes_own on public.notes for select to authenticated using (owner = (select auth.uid()));
grant select on public.notes to authenticated;
-- Reads anyone's notes: the owner is an argument.
create function public.notes_of(p_user uuid) returns setof text language sql stable security definer
  set search_path = '' as $$ select body from public.notes where owner = p_user $$;
