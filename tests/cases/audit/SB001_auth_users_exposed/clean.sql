create table auth.users (id uuid primary key, email text, raw_user_meta_data jsonb);
create view public.profiles as select id, email from auth.users;
revoke all on public.profiles from anon, authenticated;
