-- Supabase-shaped: runs after the auth stand-in (examples/supabase/supabase/*.sql).

-- Realtime: the supabase_realtime publication lists the tables clients stream.
create table public.rooms (id uuid primary key default gen_random_uuid(), name text not null);
create table public.chat_messages (
    id bigint generated always as identity primary key,
    room_id uuid not null references public.rooms (id),
    author uuid not null default auth.uid() references auth.users (id),
    body text not null,
    sent_at timestamptz not null default now()
);
alter table public.chat_messages replica identity full;
alter table public.rooms enable row level security;
alter table public.chat_messages enable row level security;
create policy rooms_read on public.rooms for select to authenticated using (true);
create policy messages_read on public.chat_messages for select to authenticated using (true);
create policy messages_write on public.chat_messages for insert to authenticated with check (author = (select auth.uid()));
create publication supabase_realtime for table public.chat_messages, public.rooms;
grant usage on schema public to authenticated;
grant select on public.rooms to authenticated;
grant select, insert on public.chat_messages to authenticated;
