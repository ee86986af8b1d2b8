create schema storage;
create table storage.buckets (id text primary key, name text, public boolean);
create table storage.objects (id uuid primary key default gen_random_uuid(), bucket_id text references storage.buckets (id), name text, owner uuid);
alter table storage.objects enable row level security;
grant usage on schema storage to anon, authenticated;
grant select on storage.buckets, storage.objects to anon, authenticated;
insert into storage.buckets values ('avatars', 'avatars', true), ('docs', 'docs', false);
-- The public bucket serves files by URL; listing is narrowed to the uploader.
create policy "Own avatars" on storage.objects for select to authenticated using (bucket_id = 'avatars' and owner = (select auth.uid()));
-- Broad, but on a private bucket.
create policy "Read docs" on storage.objects for select to authenticated using (bucket_id = 'docs');
