create schema private;
grant usage on schema private to authenticated;
create table public.profiles (id uuid primary key, display_name text);
alter table public.profiles enable row level security;
create policy profiles_self on public.profiles for select to authenticated using (id = (select auth.uid()));
grant select on public.profiles to authenticated;
create function public.create_profile(id uuid) returns void language plpgsql security definer
  set search_path = '' as $$begin insert into public.profiles (id) values (id) on conflict do nothing; end$$;
