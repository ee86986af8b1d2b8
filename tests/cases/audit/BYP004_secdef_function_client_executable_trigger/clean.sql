create schema private;
grant usage on schema private to authenticated;
create table public.profiles (id uuid primary key, display_name text);
alter table public.profiles enable row level security;
create policy profiles_self on public.profiles for select to authenticated using (id = (select auth.uid()));
grant select on public.profiles to authenticated;
create table auth.users (id uuid primary key);
create function private.create_profile() returns trigger language plpgsql security definer
  set search_path = '' as $$begin insert into public.profiles (id) values (new.id) on conflict do nothing; return new; end$$;
create trigger on_auth_user_created after insert on auth.users for each row execute function private.create_profile();
