create table public.t3 (id int, owner uuid) partition by range (id);
create table public.t3_p partition of public.t3 for values from (0) to (100);
alter table public.t3_p enable row level security;
grant select on public.t3 to anon, authenticated;
