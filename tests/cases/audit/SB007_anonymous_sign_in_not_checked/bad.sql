create table public.posts (id bigint primary key, author uuid not null, body text);
grant select, insert, update, delete on public.posts to anon, authenticated;
alter table public.posts enable row level security;
-- Anonymous sign-ins also get the authenticated role: they pass this like real users.
create policy posts_own on public.posts for all to authenticated using (author = (select auth.uid()));
