-- Supabase-shaped: runs after the auth stand-in (examples/supabase/supabase/*.sql).
-- A project's Storage rules are policies on storage.objects, a table of a schema
-- the project does not own; its avatars bucket row is data, not schema.
create table public.avatars_meta (
    user_id uuid primary key references auth.users (id) on delete cascade,
    object_name text not null
);
alter table public.avatars_meta enable row level security;
create policy avatars_meta_own on public.avatars_meta for all to authenticated
    using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
grant usage on schema public to authenticated;
grant select, insert, update, delete on public.avatars_meta to authenticated;
create policy "avatar owners upload" on storage.objects for insert to authenticated
    with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "avatars are public" on storage.objects for select to anon, authenticated
    using (bucket_id = 'avatars');
