-- Supabase Storage: a public avatars bucket listed only under public/, private per-user documents.
create schema storage;
create table storage.buckets (id text primary key, name text, public boolean not null default false);
create table storage.objects (id uuid primary key default gen_random_uuid(), bucket_id text references storage.buckets (id),
  name text not null, owner uuid);
create function storage.foldername(name text) returns text[] language sql immutable
  as $$ select (string_to_array(name, '/'))[1:cardinality(string_to_array(name, '/')) - 1] $$;
alter table storage.objects enable row level security;
grant usage on schema storage to anon, authenticated;
grant select on storage.buckets to anon, authenticated;
grant select, insert, update, delete on storage.objects to anon, authenticated;
insert into storage.buckets values ('avatars', 'avatars', true), ('documents', 'documents', false);
create policy "list public avatars" on storage.objects for select to public
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = 'public');
create policy "upload own avatar" on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "read own documents" on storage.objects for select to authenticated
  using (bucket_id = 'documents' and owner = (select auth.uid()));
create policy "write own documents" on storage.objects for insert to authenticated
  with check (bucket_id = 'documents' and owner = (select auth.uid()));

create table public.profiles (id uuid primary key, display_name text, avatar_path text);
alter table public.profiles enable row level security;
create policy profiles_read on public.profiles for select to authenticated using (true);
create policy profiles_write on public.profiles for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));
revoke all on public.profiles from anon, authenticated;
grant select, update (display_name, avatar_path) on public.profiles to authenticated;
