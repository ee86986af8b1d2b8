create schema storage;
create function storage.foldername(name text) returns text[] language sql immutable as $$ select string_to_array(name, '/') $$;
create table storage.buckets (id text primary key, name text, public boolean);
create table storage.objects (id uuid primary key default gen_random_uuid(), bucket_id text references storage.buckets (id), name text, owner uuid);
alter table storage.objects enable row level security;
grant usage on schema storage to anon, authenticated;
grant select on storage.buckets, storage.objects to anon, authenticated;
insert into storage.buckets values ('avatars', 'avatars', true), ('docs', 'docs', false);
-- Listing is restricted to the bucket's `public/` folder, by path prefix.
create policy "List public folder" on storage.objects for select to public
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = 'public');
create policy "List shared" on storage.objects for select to public
  using (bucket_id = 'avatars' and name like 'shared/%');
