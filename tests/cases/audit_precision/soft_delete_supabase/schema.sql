-- Soft delete with a restrictive policy, owner-scoped rows, and an archive view as invoker.
create table public.documents (id uuid primary key default gen_random_uuid(), owner_id uuid not null,
  title text not null, deleted_at timestamptz);
create index on public.documents (owner_id);
alter table public.documents enable row level security;
create policy own_docs on public.documents for all to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy hide_deleted on public.documents as restrictive for select to authenticated
  using (deleted_at is null);
revoke all on public.documents from anon, authenticated;
grant select, insert, update on public.documents to authenticated;
create view public.my_documents with (security_invoker = true) as
  select id, title from public.documents;
revoke all on public.my_documents from anon, authenticated;
grant select on public.my_documents to authenticated;
-- Soft delete through an RPC scoped to the caller's own rows.
create function public.trash_document(p_id uuid) returns void language sql security definer
  set search_path = '' as $$
  update public.documents set deleted_at = now() where id = p_id and owner_id = (select auth.uid())
$$;
