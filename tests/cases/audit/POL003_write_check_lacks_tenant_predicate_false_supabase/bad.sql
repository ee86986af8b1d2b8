create table public.notes (id uuid primary key default gen_random_uuid(), owner uuid not null, body text);
alter table public.notes enable row level security;
create policy sel on public.notes for select to authenticated using (owner = (select auth.uid()));
create policy ins on public.notes for insert to authenticated with check (body is not null);
grant select, insert on public.notes to authenticated;
