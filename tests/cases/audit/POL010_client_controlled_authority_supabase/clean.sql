create table public.t (id uuid primary key default gen_random_uuid(), owner uuid not null, body text);
grant select, insert, update, delete on public.t to anon, authenticated;
alter table public.t enable row level security;
create policy own on public.t for select to authenticated using (owner = (select auth.uid()));
create policy admins on public.t for select to authenticated using ((auth.jwt() -> 'app_metadata' ->> 'role') = 'admin');
