create table public.org_members (org_id uuid not null, user_id uuid not null, primary key (org_id, user_id));
alter table public.org_members enable row level security;
create policy self on public.org_members for select to authenticated using (user_id = (select auth.uid()));
grant select on public.org_members to authenticated;
create table public.documents (id bigint generated always as identity primary key, org_id uuid not null, title text);
alter table public.documents enable row level security;
create policy member on public.documents to authenticated
  using (org_id in (select m.org_id from public.org_members m where m.user_id = (select auth.uid())));
grant select, insert, update, delete on public.documents to authenticated;
create table public.document_events (id bigint generated always as identity primary key, org_id uuid not null, document_id bigint, action text);
alter table public.document_events enable row level security;
create policy member on public.document_events for select to authenticated
  using (org_id in (select m.org_id from public.org_members m where m.user_id = (select auth.uid())));
grant select on public.document_events to authenticated;
-- Copies an event row for every org's documents whenever one is inserted.
create function public.log_document() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.document_events (org_id, document_id, action)
    select d.org_id, d.id, tg_op from public.documents d;
  return new;
end $$;
create trigger log_document after insert on public.documents for each row execute function public.log_document();
