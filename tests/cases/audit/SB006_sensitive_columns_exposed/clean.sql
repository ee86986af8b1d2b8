create table public.accounts (id uuid primary key, email text, password_hash text);
alter table public.accounts enable row level security;
create policy own on public.accounts for select to authenticated using (id = (select auth.uid()));
grant select on public.accounts to anon, authenticated;
