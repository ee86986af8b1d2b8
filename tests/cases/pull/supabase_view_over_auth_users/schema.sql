-- Supabase-shaped: runs after the auth stand-in (examples/supabase/supabase/*.sql).
-- Views in public that read auth.users (a schema the project does not own):
-- an invoker view for the server, a definer-free profile view for the API.
create table public.profiles (
    id uuid primary key references auth.users (id) on delete cascade,
    display_name text
);
alter table public.profiles enable row level security;
create policy profiles_read on public.profiles for select to authenticated using (true);
create view public.profile_emails with (security_invoker = true) as
    select p.id, p.display_name, u.email
    from public.profiles p join auth.users u on u.id = p.id;
create view public.profile_names with (security_invoker = true) as
    select id, display_name from public.profiles;
grant usage on schema public to authenticated;
grant select on public.profiles, public.profile_names to authenticated;
revoke all on public.profile_emails from anon, authenticated;
