do $$ begin create role prf005_sb_grp nologin; exception when duplicate_object OR unique_violation then null; end $$;
revoke prf005_sb_grp from authenticated;
create table public.t (id uuid primary key default gen_random_uuid(), owner uuid not null, body text);
grant select, insert, update, delete on public.t to anon, authenticated;
alter table public.t enable row level security;
create policy own on public.t for select to authenticated using (owner = (select auth.uid()));
create policy grp on public.t for select to prf005_sb_grp using (true);
