-- Supabase-shaped: runs after the auth stand-in (examples/supabase/supabase/*.sql).

-- Supabase-shaped, pulled without --supabase: detection (the auth schema, the
-- anon and authenticated roles) writes the same project.
create table public.countries (id int primary key, name text not null);
alter table public.countries enable row level security;
create policy "countries are public" on public.countries for select to anon, authenticated using (true);
grant usage on schema public to anon, authenticated;
grant select on public.countries to anon, authenticated;
