-- Supabase-shaped: runs after the auth stand-in (examples/supabase/supabase/*.sql).

-- profiles keyed by auth.users.id, filled by a trigger on auth.users.
create table public.profiles (
    id uuid primary key references auth.users (id) on delete cascade,
    username text unique,
    avatar_url text,
    updated_at timestamptz,
    constraint username_length check (char_length(username) >= 3)
);
alter table public.profiles enable row level security;
create policy "Public profiles are viewable by everyone." on public.profiles for select
    using (true);
create policy "Users can insert their own profile." on public.profiles for insert to authenticated
    with check ((select auth.uid()) = id);
create policy "Users can update own profile." on public.profiles for update to authenticated
    using ((select auth.uid()) = id);
create function public.handle_new_user() returns trigger language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.profiles (id, username) values (new.id, new.raw_user_meta_data ->> 'user_name');
  return new;
end;
$$;
revoke execute on function public.handle_new_user() from public, anon, authenticated;
create trigger on_auth_user_created after insert on auth.users
    for each row execute procedure public.handle_new_user();
grant usage on schema public to anon, authenticated;
grant select on public.profiles to anon, authenticated;
grant insert, update on public.profiles to authenticated;
