create table public.posts (id bigint primary key, author uuid not null, body text);
grant select, insert, update, delete on public.posts to anon, authenticated;
alter table public.posts enable row level security;
create policy posts_own on public.posts for all to authenticated
  using (author = (select auth.uid()) and not coalesce(((select auth.jwt()) ->> 'is_anonymous')::boolean, false));
-- Not TO authenticated: out of scope.
create policy posts_read on public.posts for select to anon using (body is not null);
