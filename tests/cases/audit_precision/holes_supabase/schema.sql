-- Known holes of Supabase projects, each a true finding.
create table public.todos (id bigint generated always as identity primary key, user_id uuid not null, title text not null);
create index on public.todos (user_id);
alter table public.todos enable row level security;
-- Fails open for anon: auth.uid() is NULL without a JWT.
create policy todos_read on public.todos for select to anon, authenticated
  using (auth.uid() is null or user_id = auth.uid());
grant select, insert, update, delete on public.todos to anon, authenticated;

-- RLS never enabled on a table the API serves.
create table public.feedback (id bigint generated always as identity primary key, user_id uuid, body text);
grant select, insert on public.feedback to anon, authenticated;

-- Authority from user-editable metadata.
create table public.admin_notes (id bigint generated always as identity primary key, body text);
alter table public.admin_notes enable row level security;
create policy admins on public.admin_notes for select to authenticated
  using ((auth.jwt() -> 'user_metadata' ->> 'role') = 'admin');
grant select on public.admin_notes to authenticated;
