create table public.t (id uuid primary key default gen_random_uuid(), owner uuid not null, body text);
grant select, insert, update, delete on public.t to anon, authenticated;
