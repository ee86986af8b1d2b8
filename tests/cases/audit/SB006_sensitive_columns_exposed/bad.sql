create table public.accounts (id uuid primary key, email text, password_hash text);
grant select on public.accounts to anon, authenticated;
