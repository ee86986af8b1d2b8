create table public.t3 (id int, owner uuid) partition by range (id);
create table public.t3_p partition of public.t3 for values from (0) to (100);
alter table public.t3 enable row level security;
create policy own on public.t3 for select to authenticated using (owner = (select auth.uid()));
grant select on public.t3 to anon, authenticated;
