create schema storage;
create table storage.buckets (id text primary key, name text, public boolean);
create table storage.objects (id uuid primary key default gen_random_uuid(), bucket_id text references storage.buckets (id), name text, owner uuid);
alter table storage.objects enable row level security;
grant usage on schema storage to anon, authenticated;
grant select on storage.buckets, storage.objects to anon, authenticated;
insert into storage.buckets values ('avatars', 'avatars', true), ('docs', 'docs', false);
-- Broad: anyone may select every object of the public bucket, so list it.
create policy "Public read avatars" on storage.objects for select to public using (bucket_id = 'avatars');
