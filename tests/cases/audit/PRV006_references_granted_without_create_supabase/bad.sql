create table public.notes (id uuid primary key default gen_random_uuid(), owner uuid not null, body text);
alter table public.notes enable row level security;
create policy own on public.notes to authenticated using (owner = (select auth.uid()));
grant select, insert, update, delete on public.notes to authenticated;
grant references on public.notes to authenticated;
grant create on schema public to authenticated;
